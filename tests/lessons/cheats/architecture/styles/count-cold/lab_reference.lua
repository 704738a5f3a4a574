-- feedback: lab.serverless is not available to your code
-- hands back lab's own simulator
return {cold_starts=function(a,w,c,i) return lab.serverless.simulate{arrivals=a,work=w,cold_start=c,idle_timeout=i}.cold_starts end}
