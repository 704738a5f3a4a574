-- feedback: must reach a component of kind `transcoder`
-- the queue's call is for reads only: uploads (writes) never reach it
return {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "store", ops = "write"}, {to = "jobs", async = true}}},
  {name = "store", kind = "blob"},
  {name = "jobs", kind = "queue", calls = {{to = "transcode", ops = "read"}}},
  {name = "transcode", kind = "transcoder", instances = 1},
}
