-- feedback: not available to your code
return {critical_path = function(jobs) return lab.pipeline.critical_path{jobs = jobs} end}
