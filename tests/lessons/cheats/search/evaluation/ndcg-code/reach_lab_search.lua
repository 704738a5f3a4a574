-- feedback: lab.search is not available to your code
return function(ranking, labels, k) return lab.search.evaluate(ranking, labels, k).ndcg end
