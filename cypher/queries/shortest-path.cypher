// answers: How are two entities connected? The shortest chain of relations between them (papers left out), up to 6 steps.
// params: from = the first entity's name, alias or key, e.g. BERT; to = the second entity's name, alias or key, e.g. ImageNet
// returns: hops, names, relations
MATCH (a:Entity), (b:Entity)
WHERE (toLower($from) IN a.names_lower)
  AND (toLower($to) IN b.names_lower)
  AND a <> b
MATCH path = shortestPath((a)-[:COMPRESSES|EVALUATED_ON|OUTPERFORMS|USES|TRAINED_ON|RUNS_ON|ADDRESSES*..6]-(b))
RETURN length(path) AS hops, [n IN nodes(path) | n.name] AS names, [r IN relationships(path) | type(r)] AS relations
LIMIT 1
