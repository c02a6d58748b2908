"""Imported last by the guard's fork server, never by the app: move every object imported so
far out of the garbage collector's reach (`gc.freeze`, meant for servers that fork), so a child
does not copy the server's memory pages when its collector would otherwise walk them."""

import gc

gc.collect()
gc.freeze()
