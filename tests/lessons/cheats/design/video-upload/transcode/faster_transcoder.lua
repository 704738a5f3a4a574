-- feedback: does not run
-- sets the transcoder's latency itself
return {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "store", ops = "write"}, {to = "jobs", async = true}}},
  {name = "store", kind = "blob"},
  {name = "jobs", kind = "queue", calls = {{to = "transcode"}}},
  {name = "transcode", kind = "transcoder", instances = 10, latency = 1},
}
