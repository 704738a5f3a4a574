-- feedback: must reach a component of kind `transcoder`
-- the catalog's workers take 1 s a job, not 6 minutes
return {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "store", ops = "write"}, {to = "jobs", async = true}}},
  {name = "store", kind = "blob"},
  {name = "jobs", kind = "queue", calls = {{to = "transcode"}}},
  {name = "transcode", kind = "worker", instances = 4},
}
