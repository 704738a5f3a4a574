-- feedback: not available to your code
return {schedule = function(jobs, runners)
  local r, s = lab.pipeline.run{jobs = jobs, workers = runners}, {}
  for name, j in pairs(r.jobs) do s[name] = j.start end
  return s
end}
