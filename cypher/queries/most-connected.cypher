// answers: Which entities of a type are the most connected by relations (papers left out)? Use type = ANY for all types.
// params: type = an entity type such as MODEL, METHOD or ANY; limit = how many rows, e.g. 10
// returns: name, type, degree, papers
MATCH (e:Entity)
WHERE $type = 'ANY' OR e.type = toUpper($type)
OPTIONAL MATCH (e)-[r]-(:Entity)
WITH e, count(r) AS degree
OPTIONAL MATCH (p:Paper)-[:MENTIONS]->(e)
RETURN e.name AS name, e.type AS type, degree, count(DISTINCT p) AS papers
ORDER BY degree DESC, papers DESC, name
LIMIT toInteger($limit)
