-- feedback: before its bytes reach the object store
-- answers as soon as the job is queued; the queue stores the bytes later
return {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "jobs", async = true}}},
  {name = "jobs", kind = "queue", calls = {{to = "store"}, {to = "transcode"}}},
  {name = "store", kind = "blob"},
  {name = "transcode", kind = "transcoder", instances = 320},
}
