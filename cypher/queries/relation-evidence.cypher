// answers: Which papers state a relation between two entities, and in which sentences? Any relation type between the two, in either direction.
// params: head = the first entity's name, alias or key, e.g. SlimPrune; tail = the second entity's name, alias or key, e.g. DeiT-S
// returns: head, relation, tail, paper, title, sentence
MATCH (h:Entity), (t:Entity)
WHERE (toLower($head) IN h.names_lower)
  AND (toLower($tail) IN t.names_lower)
MATCH (h)-[r]-(t)
WITH startNode(r) AS s, r, endNode(r) AS e
UNWIND range(0, size(r.evidence) - 1) AS i
MATCH (p:Paper {id: r.evidence_papers[i]})
RETURN s.name AS head, type(r) AS relation, e.name AS tail, p.id AS paper, p.title AS title, r.evidence[i] AS sentence
ORDER BY relation, paper
