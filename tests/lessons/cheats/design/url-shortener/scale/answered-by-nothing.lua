-- feedback: makes no call for a read
-- two redirects in five answered by a load balancer that calls nothing;
-- the other three counted twice by two caches
return {
  {name = "web", kind = "app", instances = 2, route = "one",
   calls = {{to = "fan", ops = "read", weight = 3}, {to = "nothing", ops = "read", weight = 2},
            {to = "primary", ops = "write"}}},
  {name = "fan", kind = "lb", calls = {{to = "c1", ops = "read"}, {to = "c2", ops = "read"}}},
  {name = "nothing", kind = "lb"},
  {name = "c1", kind = "cache", memory = 0.5, calls = {{to = "replicas", ops = "read"}}},
  {name = "c2", kind = "cache", memory = 0.5, calls = {{to = "replicas", ops = "read"}}},
  {name = "primary", kind = "db"},
  {name = "replicas", kind = "replica", instances = 2},
}
