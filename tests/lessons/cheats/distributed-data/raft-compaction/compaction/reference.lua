-- feedback: lab.raft is not available to your code
-- the reference node instead of one written here
return lab.raft.node{snapshot_every = 10}
