-- feedback: lab.txn is not available
-- Hands back lab.txn's own orchestrator as the node.
return lab.txn.node("orchestrator")
