// answers: What does a paper propose, and what do its proposals do according to the paper itself? Find the paper by id or by words of its title.
// params: paper = the paper's id or part of its title (case-insensitive), e.g. SlimPrune
// returns: paper, title, proposed, type, relation, target
MATCH (p:Paper)
WHERE p.id = $paper OR toLower(p.title) CONTAINS toLower($paper)
MATCH (p)-[:PROPOSES]->(e:Entity)
OPTIONAL MATCH (e)-[r]->(x:Entity) WHERE p.id IN r.papers
RETURN p.id AS paper, p.title AS title, e.name AS proposed, e.type AS type, type(r) AS relation, x.name AS target
ORDER BY paper, proposed, relation, target
