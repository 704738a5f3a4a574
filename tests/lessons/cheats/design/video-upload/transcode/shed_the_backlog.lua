-- feedback: accepted and then dropped
-- few machines that shed what waits: no lag, and videos never transcoded
return {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "store", ops = "write"}, {to = "jobs", async = true}}},
  {name = "store", kind = "blob"},
  {name = "jobs", kind = "queue", calls = {{to = "transcode"}}},
  {name = "transcode", kind = "transcoder", instances = 100, shed_after = 1},
}
