-- feedback: A read can be answered without a cache, a CDN or a database
-- half the readers get a page from nowhere; the other half are counted twice
return {
  {name = "lb", kind = "lb", route = "one",
   calls = {{to = "web", weight = 2}, {to = "nowhere", weight = 1}}},
  {name = "web", kind = "app", calls = {{to = "cache"}, {to = "db"}}},
  {name = "nowhere", kind = "limiter", limit = {rate = 100000, burst = 100000}},
  {name = "cache", kind = "cache", memory = 5},
  {name = "db", kind = "db"},
}
