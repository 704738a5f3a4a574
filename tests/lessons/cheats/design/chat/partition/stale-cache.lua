-- feedback: the sends bypass it
-- a cache that holds every channel: the store sees the sends only
return {
  {name = "gateways", kind = "gateway", instances = 3, route = "key",
   calls = {{to = "c", ops = "read", timeout = 0.3}, {to = "s1", ops="write", timeout = 0.3}, {to = "s2", ops="write", timeout = 0.3}}},
  {name = "c", kind = "cache", memory = 0.05, route = "key", calls = {{to = "s1", timeout = 0.3}, {to = "s2", timeout = 0.3}}},
  {name = "s1", kind = "store"},
  {name = "s2", kind = "store"},
}
