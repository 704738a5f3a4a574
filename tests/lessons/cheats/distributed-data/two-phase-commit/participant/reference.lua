-- feedback: lab.txn is not available
-- Hands back lab.txn's own participant as the node.
return lab.txn.node("participant")
