-- feedback: A read can be answered without a cache, a CDN or a database
-- two caches read in turn count every hit twice: a third of the readers get nothing
return {
  {name = "lb", kind = "lb", route = "one",
   calls = {{to = "web", weight = 2}, {to = "nowhere", weight = 1}}},
  {name = "web", kind = "app", instances = 1, calls = {{to = "c1"}, {to = "c2"}}},
  {name = "nowhere", kind = "limiter", limit = {rate = 100000, burst = 100000}},
  {name = "c1", kind = "cache", memory = 1,
   calls = {{to = "db", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "c2", kind = "cache", memory = 1,
   calls = {{to = "db", ops = "write"}, {to = "replicas", ops = "read"}}},
  {name = "db", kind = "db"},
  {name = "replicas", kind = "replica", instances = 2},
}
