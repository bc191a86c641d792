// Replaced by the Lua host.
