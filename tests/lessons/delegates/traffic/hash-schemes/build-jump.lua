-- issue 8: lab's own jump hash handed back
return lab.hash.jump
