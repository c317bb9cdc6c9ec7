-- lexgraph SQL macros and views; see docs/QUERYING.md. Installed on every writable open, stored in the file,
-- so the plain `duckdb` client can use them with no lexgraph import:
--     duckdb -readonly out/lexgraph.duckdb "SELECT * FROM synonyms('Big')"
-- Parameters have names that are no column name (word, cid, nid), so they never shadow a column.

-- Name of the tree the build makes over its synonym clusters (lexgraph.store.queries.CLUSTERS_TREE).
CREATE OR REPLACE MACRO clusters_tree() AS 'clusters';

-- A term normalised for a language (invisible format marks dropped, NFC, Unicode White_Space collapsed,
-- lower-cased; Turkish dotted/dotless i for tr and az, where i + U+0307 is i). Mirrors
-- lexgraph.lexicon.normalize.normalize_term (its INVISIBLE and WHITESPACE sets).
CREATE OR REPLACE MACRO lexgraph_normalize(word, lang) AS
    nfc_normalize(CASE WHEN lang IN ('tr', 'az')
        THEN replace(lower(trim(regexp_replace(
                 replace(replace(nfc_normalize(regexp_replace(word,
                     '[\x{ad}\x{61c}\x{180e}\x{200b}\x{200e}\x{200f}\x{202a}-\x{202e}\x{2060}-\x{2064}\x{2066}-\x{2069}\x{feff}]',
                     '', 'g')), 'I', 'ı'), 'İ', 'i'),
                 '[\t\n\x{0b}\x{0c}\r \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+',
                 ' ', 'g'))), 'i' || chr(775), 'i')
        ELSE lower(trim(regexp_replace(
                 nfc_normalize(regexp_replace(word,
                     '[\x{ad}\x{61c}\x{180e}\x{200b}\x{200e}\x{200f}\x{202a}-\x{202e}\x{2060}-\x{2064}\x{2066}-\x{2069}\x{feff}]',
                     '', 'g')),
                 '[\t\n\x{0b}\x{0c}\r \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+',
                 ' ', 'g')))
        END);

-- The build's term for a word: the stored term that equals the word normalised in that term's own language,
-- as ingest normalised each row (a source's lang column may mix languages); NULL when the build has none.
CREATE OR REPLACE MACRO lexgraph_norm(word) AS
    (SELECT min(t.term) FROM terms t
     WHERE t.term IN (lexgraph_normalize(word, 'en'), lexgraph_normalize(word, 'tr'))
       AND t.term = lexgraph_normalize(word, t.lang));

-- Synonyms of a term: the union of its synonym edges (synonym_edges: the graph the clusters stage clustered)
-- and its co-members in its hard cluster. `edge` and `same_cluster` say which source(s) a row comes from
-- (a pair labelled 'synonym' under the gate is no edge: label and edge are both shown);
-- p_synonym is the discriminator's probability for the pair whatever its label (NULL: never a candidate),
-- p_calibrated the same calibrated on unseen words (the share of such pairs that are synonyms), evidence
-- who decided the label ('model', 'lexicon', 'morphology').
CREATE OR REPLACE MACRO synonyms(word) AS TABLE
    WITH q AS (SELECT term_id, term FROM terms WHERE term = lexgraph_norm(word)),
    edges AS (
        SELECT CASE WHEN e.a_id = q.term_id THEN e.b_id ELSE e.a_id END AS other_id
        FROM synonym_edges e, q
        WHERE e.a_id = q.term_id OR e.b_id = q.term_id),
    mates AS (
        SELECT c2.term_id AS other_id
        FROM q JOIN clusters c1 ON c1.term_id = q.term_id
        JOIN clusters c2 ON c2.cluster_id = c1.cluster_id AND c2.term_id <> c1.term_id),
    others AS (SELECT other_id FROM edges UNION SELECT other_id FROM mates)
    SELECT q.term AS term, t.term AS synonym,
           o.other_id IN (SELECT other_id FROM mates) AS same_cluster,
           o.other_id IN (SELECT other_id FROM edges) AS edge,
           r.p_synonym AS p_synonym, r.p_calibrated AS p_calibrated, r.label AS label, r.evidence AS evidence
    FROM others o CROSS JOIN q
    JOIN terms t ON t.term_id = o.other_id
    LEFT JOIN relations r ON r.a_id = least(q.term_id, o.other_id) AND r.b_id = greatest(q.term_id, o.other_id)
    ORDER BY same_cluster DESC, edge DESC, p_synonym DESC NULLS LAST, synonym;

-- Antonyms of a term: its discriminator antonym edges (relations.label = 'antonym'), most probable first.
CREATE OR REPLACE MACRO antonyms(word) AS TABLE
    WITH q AS (SELECT term_id, term FROM terms WHERE term = lexgraph_norm(word))
    SELECT q.term AS term, CASE WHEN r.a_id = q.term_id THEN r.term_b ELSE r.term_a END AS antonym,
           r.p_antonym AS p_antonym
    FROM relations r, q
    WHERE r.label = 'antonym' AND (r.a_id = q.term_id OR r.b_id = q.term_id)
    ORDER BY p_antonym DESC, antonym;

-- The hard cluster of a term, one row: its summary, its members and the inflected forms that follow them
-- (variants; lists alphabetical). variant_of is set when the term itself is an inflected form.
CREATE OR REPLACE MACRO cluster_of(word) AS TABLE
    SELECT c.term AS term, c.cluster_id AS cluster_id, c.method AS method, s.size AS size,
           s.cohesion AS cohesion, s.representative AS representative,
           (SELECT list(m.term ORDER BY m.term) FROM clusters m
            WHERE m.cluster_id = c.cluster_id AND m.variant_of IS NULL) AS members,
           (SELECT list(m.term ORDER BY m.term) FROM clusters m
            WHERE m.cluster_id = c.cluster_id AND m.variant_of IS NOT NULL) AS variants,
           c.variant_of AS variant_of
    FROM clusters c LEFT JOIN cluster_summary s USING (cluster_id)
    WHERE c.term = lexgraph_norm(word);

-- The inflected forms of a term's lemma in the build (kitap -> kitaplar, kitabı), from the morphology
-- table: every term sharing its lemma and polarity, with the member of the cluster they follow.
CREATE OR REPLACE MACRO variants_of(word) AS TABLE
    WITH q AS (SELECT m.lemma, m.negated FROM morphology m WHERE m.term = lexgraph_norm(word))
    SELECT lexgraph_norm(word) AS term, m.term AS variant, m.lemma AS lemma, c.variant_of AS follows,
           c.cluster_id AS cluster_id
    FROM morphology m JOIN q ON m.lemma = q.lemma AND m.negated = q.negated
    LEFT JOIN clusters c ON c.term_id = m.term_id
    WHERE m.term <> lexgraph_norm(word)
    ORDER BY variant;

-- Members of a cluster with the pruning votes that kept them there (cluster_votes for that cluster):
-- how many members are their synonyms and their summed P(synonym) to them; the representative first.
CREATE OR REPLACE MACRO cluster_members(cid) AS TABLE
    SELECT c.cluster_id AS cluster_id, c.term_id AS term_id, c.term AS term,
           coalesce(c.term = s.representative, false) AS representative,
           v.synonyms AS synonyms, v.confidence AS confidence
    FROM clusters c
    LEFT JOIN cluster_summary s ON s.cluster_id = c.cluster_id
    LEFT JOIN (SELECT term_id, cluster_id, max(synonyms) AS synonyms, max(confidence) AS confidence
               FROM cluster_votes GROUP BY ALL) v ON v.term_id = c.term_id AND v.cluster_id = c.cluster_id
    WHERE c.cluster_id = cid
    ORDER BY representative DESC, confidence DESC NULLS LAST, term;

-- Every cluster a term joined in the soft stage (senses), with its score and whether it is the hard one.
CREATE OR REPLACE MACRO senses_of(word) AS TABLE
    SELECT s.term AS term, s.cluster_id AS cluster_id, s.score AS score,
           s.cluster_id IN (SELECT cluster_id FROM clusters c WHERE c.term_id = s.term_id) AS chosen,
           cs.size AS size, cs.representative AS representative
    FROM senses s LEFT JOIN cluster_summary cs USING (cluster_id)
    WHERE s.term = lexgraph_norm(word)
    ORDER BY score DESC, cluster_id;

-- Why a term landed in its cluster: every cluster it voted for in the pruning stage (cluster_votes), best
-- first, and on the chosen row the rule that decided against the runner-up: more synonyms through the term's
-- main sense (English: lexicon_terms.main_synset; Turkish: its nearest wordnet partner's synset), then more
-- synonyms among the members, then cohesion, then the larger
-- summed P(synonym), then the stronger seed. size is NULL for a candidate
-- that lost all its members to other clusters. Empty for methods without votes (the baselines).
CREATE OR REPLACE MACRO votes_of(word) AS TABLE
    WITH q AS (SELECT term_id, term FROM terms WHERE term = lexgraph_norm(word)),
    v AS (
        SELECT q.term AS term, v.cluster_id AS cluster_id, v.chosen AS chosen,
               v.main_synonyms AS main_synonyms, v.synonyms AS synonyms,
               v.confidence AS confidence, v.cohesion AS cohesion, cs.size AS size,
               cs.representative AS representative
        FROM cluster_votes v JOIN q ON v.term_id = q.term_id
        LEFT JOIN cluster_summary cs ON cs.cluster_id = v.cluster_id),
    runner_up AS (
        SELECT main_synonyms, synonyms, confidence, cohesion FROM v WHERE NOT chosen
        ORDER BY main_synonyms DESC, synonyms DESC, cohesion DESC, confidence DESC LIMIT 1)
    SELECT v.*,
           CASE WHEN NOT v.chosen THEN NULL
                WHEN r.synonyms IS NULL THEN 'only cluster it joined'
                WHEN v.main_synonyms > r.main_synonyms THEN 'most synonyms through its main sense'
                WHEN v.synonyms > r.synonyms THEN 'most synonyms'
                WHEN v.cohesion > r.cohesion THEN 'tie on synonyms: more cohesive'
                WHEN v.confidence > r.confidence THEN 'tie on synonyms and cohesion: higher summed P(synonym)'
                ELSE 'full tie: stronger seed' END AS decided_by
    FROM v LEFT JOIN runner_up r ON true
    ORDER BY v.chosen DESC, v.main_synonyms DESC, v.synonyms DESC, v.cohesion DESC, v.confidence DESC, v.cluster_id;

-- Each item of a tree once, under its lowest node: the smallest node holding it (tree_members lists an item
-- under every node above it too); ties, which only an uncondensed tree has, go to the lower node id.
CREATE OR REPLACE MACRO tree_leaves(tree_name := clusters_tree()) AS TABLE
    SELECT node_id, item FROM (
        SELECT m.node_id AS node_id, m.item AS item,
               row_number() OVER (PARTITION BY m.item ORDER BY n.size, n.node_id) AS pick
        FROM tree_members m JOIN tree_nodes n ON n.tree = m.tree AND n.node_id = m.node_id
        WHERE m.tree = tree_name)
    WHERE pick = 1;

-- Path from a term's cluster up to the root of the 'clusters' tree: depth 0 is the lowest (smallest) node
-- holding the term's cluster id, then its parent, ... up to the root (parent_id NULL).
CREATE OR REPLACE MACRO lineage(word) AS TABLE
    WITH RECURSIVE start AS (
        SELECT l.node_id
        FROM clusters c JOIN tree_leaves() l ON l.item = CAST(c.cluster_id AS VARCHAR)
        WHERE c.term = lexgraph_norm(word)),
    path(depth, node_id) AS (
        SELECT 0, node_id FROM start
        UNION ALL
        SELECT p.depth + 1, n.parent_id
        FROM path p JOIN tree_nodes n ON n.tree = clusters_tree() AND n.node_id = p.node_id
        WHERE n.parent_id IS NOT NULL)
    SELECT lexgraph_norm(word) AS term,
           (SELECT cluster_id FROM clusters WHERE term = lexgraph_norm(word)) AS cluster_id,
           p.depth AS depth, n.node_id AS node_id, n.parent_id AS parent_id, n.layer AS layer,
           n.epsilon AS epsilon, n.size AS size, n.label AS label
    FROM path p JOIN tree_nodes n ON n.tree = clusters_tree() AND n.node_id = p.node_id
    ORDER BY depth;

-- A node and all its descendants in a tree (default: the 'clusters' tree); depth 0 is the node itself.
CREATE OR REPLACE MACRO subtree(nid, tree_name := clusters_tree()) AS TABLE
    WITH RECURSIVE down(depth, node_id) AS (
        SELECT 0, node_id FROM tree_nodes WHERE tree = tree_name AND node_id = nid
        UNION ALL
        SELECT d.depth + 1, n.node_id
        FROM down d JOIN tree_nodes n ON n.tree = tree_name AND n.parent_id = d.node_id)
    SELECT tree_name AS tree, d.depth AS depth, n.node_id AS node_id, n.parent_id AS parent_id,
           n.layer AS layer, n.epsilon AS epsilon, n.size AS size, n.label AS label
    FROM down d JOIN tree_nodes n ON n.tree = tree_name AND n.node_id = d.node_id
    ORDER BY depth, node_id;

-- The clusters and terms under a node of the 'clusters' tree (drill-down from a hierarchy to its words).
CREATE OR REPLACE MACRO node_terms(nid) AS TABLE
    SELECT c.cluster_id AS cluster_id, c.term AS term, coalesce(c.term = s.representative, false) AS representative
    FROM (SELECT DISTINCT m.item FROM tree_members m
          WHERE m.tree = clusters_tree() AND m.node_id IN (SELECT node_id FROM subtree(nid))) i
    JOIN clusters c ON CAST(c.cluster_id AS VARCHAR) = i.item
    LEFT JOIN cluster_summary s ON s.cluster_id = c.cluster_id
    ORDER BY c.cluster_id, representative DESC, c.term;
