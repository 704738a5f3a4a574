-- feedback: calling only app servers
-- a load balancer straight to the cache: no app server sends redirects
return {
  {name = "lb", kind = "lb", calls = {{to = "cache"}}},
  {name = "cache", kind = "cache", memory = 0.5,
   calls = {{to = "primary", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "primary", kind = "db"},
  {name = "replicas", kind = "replica", instances = 2},
}
