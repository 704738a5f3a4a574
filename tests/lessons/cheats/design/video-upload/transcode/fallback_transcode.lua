-- feedback: accepted and then dropped
-- the api waits half a second for the transcode, then answers a
-- degraded success: no queue, no lag measured, a third of the machines
return {
  {name = "api", kind = "app", instances = 2,
   calls = {{to = "store", ops = "write"},
            {to = "transcode", timeout = 0.5, fallback = true}}},
  {name = "store", kind = "blob"},
  {name = "transcode", kind = "transcoder", instances = 100},
}
