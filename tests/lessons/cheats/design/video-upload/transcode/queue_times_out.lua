-- feedback: accepted and then dropped
-- the queue gives up on a job after 2 s: the lag it reports is short,
-- the transcoders work through the real backlog unseen
return {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "store", ops = "write"}, {to = "jobs", async = true}}},
  {name = "store", kind = "blob"},
  {name = "jobs", kind = "queue", calls = {{to = "transcode", timeout = 2}}},
  {name = "transcode", kind = "transcoder", instances = 300},
}
