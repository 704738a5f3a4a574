-- feedback: is not available to your code
-- issue 8: lab's own jump hash handed back
return lab.hash.jump
