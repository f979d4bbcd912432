// answers: Everything known about a model family across its variants (sizes, versions, fine-tunes, at any depth): each variant's relations with other entities.
// params: family = the family's name, an alias or its key, e.g. LLaMA
// returns: variant, relation, direction, other, other_type, support
MATCH (f:Model) WHERE toLower($family) IN f.names_lower
MATCH (v:Model)-[:VARIANT_OF*0..4]->(f)
MATCH (v)-[r]-(o:Entity) WHERE type(r) <> 'VARIANT_OF'
RETURN DISTINCT v.name AS variant, type(r) AS relation, CASE WHEN startNode(r) = v THEN 'out' ELSE 'in' END AS direction,
       o.name AS other, o.type AS other_type, r.support AS support
ORDER BY variant, relation, other
