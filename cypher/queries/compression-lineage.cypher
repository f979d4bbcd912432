// answers: Chains of compression: which methods compress which models, and what those models are in turn used by or compressed into, up to three steps from a model.
// params: model = the model's name, an alias or its key, e.g. LLaMA-2-7B
// returns: chain, relations, length
MATCH (m:Entity)
WHERE toLower($model) IN m.names_lower
MATCH path = (start:Entity)-[:COMPRESSES|USES*1..3]->(m)
WHERE any(r IN relationships(path) WHERE type(r) = 'COMPRESSES')
RETURN [n IN nodes(path) | n.name] AS chain, [r IN relationships(path) | type(r)] AS relations, length(path) AS length
ORDER BY length, chain
LIMIT 50
