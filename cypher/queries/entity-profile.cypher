// answers: Everything the graph knows about one entity: its type, aliases, papers, and each relation in or out with its support.
// params: name = the entity's name, an alias or its key, e.g. LoRA
// returns: name, type, aliases, papers, direction, relation, other, support
MATCH (e:Entity)
WHERE toLower($name) IN e.names_lower
OPTIONAL MATCH (p:Paper)-[:MENTIONS]->(e)
WITH e, count(DISTINCT p) AS papers
OPTIONAL MATCH (e)-[r]-(o:Entity)
RETURN e.name AS name, e.type AS type, e.aliases AS aliases, papers,
       CASE WHEN r IS NULL THEN null WHEN startNode(r) = e THEN 'out' ELSE 'in' END AS direction,
       type(r) AS relation, o.name AS other, r.support AS support
ORDER BY relation, support DESC, other
