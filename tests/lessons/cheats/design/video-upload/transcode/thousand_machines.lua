-- feedback: cost $400,300 a month, needs <= $135,000
-- buy 1,000 transcoder machines: no lag at all
return {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "store", ops = "write"}, {to = "jobs", async = true}}},
  {name = "store", kind = "blob"},
  {name = "jobs", kind = "queue", calls = {{to = "transcode"}}},
  {name = "transcode", kind = "transcoder", instances = 1000},
}
