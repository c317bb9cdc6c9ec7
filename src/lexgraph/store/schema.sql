-- lexgraph store schema, version 2. The public contract is documented in docs/SCHEMA.md.
-- Every pair table is oriented: a_id < b_id, which (term ids being assigned in sorted term order)
-- is the same as term_a < term_b.

CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    run_id       INTEGER PRIMARY KEY,
    stage        VARCHAR NOT NULL,
    status       VARCHAR NOT NULL,          -- 'completed' or 'failed'
    fingerprint  VARCHAR NOT NULL,          -- hash of parameters and the upstream run ids
    params       JSON,
    counts       JSON,
    error        VARCHAR,
    started_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    version      VARCHAR NOT NULL
);

-- One row per distinct normalised term.
CREATE TABLE IF NOT EXISTS terms (
    term_id    INTEGER PRIMARY KEY,
    term       VARCHAR NOT NULL UNIQUE,
    lang       VARCHAR NOT NULL,
    pos        VARCHAR,                     -- parts of speech seen in the sources, comma-separated
    frequency  DOUBLE,                      -- summed over duplicate source rows, when given
    n_sources  INTEGER NOT NULL             -- how many source rows merged into this term
);

-- Every accepted source row, so nothing the user gave is lost when duplicates merge.
CREATE TABLE IF NOT EXISTS term_sources (
    term_id    INTEGER NOT NULL,
    source     VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,            -- 1-based line or data-row number in the source
    raw        VARCHAR NOT NULL            -- the value exactly as read
);

-- Source rows that could not become a term.
CREATE TABLE IF NOT EXISTS rejects (
    source     VARCHAR NOT NULL,
    row_number BIGINT NOT NULL,
    raw        VARCHAR,
    reason     VARCHAR NOT NULL
);

-- Embedding cache keyed by (encoder, normalised term); survives reruns of later stages.
CREATE TABLE IF NOT EXISTS embeddings (
    encoder VARCHAR NOT NULL,
    term    VARCHAR NOT NULL,
    vector  FLOAT[] NOT NULL,
    PRIMARY KEY (encoder, term)
);

-- What the bundled wordnet of the build's language states between two input terms (the evidence stage).
CREATE TABLE IF NOT EXISTS lexicon_links (
    a_id      INTEGER NOT NULL,
    b_id      INTEGER NOT NULL,
    term_a    VARCHAR NOT NULL,
    term_b    VARCHAR NOT NULL,
    relation  VARCHAR NOT NULL,            -- 'synonym', 'antonym', 'gloss', 'hypernym', 'troponym' or 'similar'
                                           -- (strongest kept)
    synset    VARCHAR,                     -- the synset behind the link (NULL for literal-level antonyms)
    sense_share REAL,                      -- synonyms: the smaller of the two terms' shares of tagged uses for that
                                           -- synset (English; 1 = monosemous; NULL: no counts, as for KeNet)
    main_sense BOOLEAN,                    -- synonyms, wordnets without counts (KeNet): the synset is both terms' main
                                           -- sense by the dictionary's structure (NULL where counts decide);
                                           -- similar (English): the two synsets are both terms' most used senses
    cased      BOOLEAN,                    -- synonyms: a term meets the synset only as a capitalised spelling, a name
                                           -- or an abbreviation (oh as Ohio's OH, sun as Sunday's Sun)
    via_lemma  BOOLEAN,                    -- a term the wordnet does not list is linked through its lemma
                                           -- (gönderdi as göndermek: lexicon_terms.lemma)
    synset_size INTEGER,                   -- how many words (distinct terms) the wordnet puts in `synset`
    thesaurus_overlap REAL                 -- English: how much the two terms' Moby thesaurus entries overlap,
                                           -- |A & B| / sqrt(|A| |B|) with each head in its own entry (NULL: a term
                                           -- without an entry, or no thesaurus for the language)
);

-- Input terms the bundled wordnet knows, with their number of synsets.
CREATE TABLE IF NOT EXISTS lexicon_terms (
    term_id     INTEGER NOT NULL,
    term        VARCHAR NOT NULL,
    synsets     INTEGER NOT NULL,
    main_synset VARCHAR,                   -- its most used synset by the sense counts (English: the unique largest
                                           -- share, a monosemous term's only one); NULL on a tie or without counts
    lemma       VARCHAR                    -- the lemma the wordnet knows the term by when it does not list the term
                                           -- itself (sonucunda as sonuç); NULL when it lists the term
);

-- Morphological analysis of every term (the evidence stage; empty with morphology off).
CREATE TABLE IF NOT EXISTS morphology (
    term_id     INTEGER NOT NULL,
    term        VARCHAR NOT NULL,
    lemma       VARCHAR NOT NULL,          -- inflection removed, derivation kept (kitaplar -> kitap, anlamsız stays)
    root        VARCHAR NOT NULL,          -- derivational root (anlamsız -> anlam)
    pos         VARCHAR,
    derivation  VARCHAR,                   -- outermost derivational tag (WITHOUT, WITH, NESS, ...)
    negated     BOOLEAN NOT NULL,          -- carries a negating affix (-sız, verb -me, un-, -less, ...)
    negation    VARCHAR,                   -- which one
    base        VARCHAR,                   -- a negated term's positive counterpart (anlamsız -> anlamlı)
    parsed      BOOLEAN NOT NULL           -- false: the analyser knew nothing of it (then lemma = root = term)
);

-- Pairs of input terms that morphology alone relates.
CREATE TABLE IF NOT EXISTS morphology_links (
    a_id      INTEGER NOT NULL,
    b_id      INTEGER NOT NULL,
    term_a    VARCHAR NOT NULL,
    term_b    VARCHAR NOT NULL,
    relation  VARCHAR NOT NULL,            -- 'variant' (inflections of one lemma), 'opposite' (a form and its
                                           -- negation) or 'derived' (one is built on the other)
    detail    VARCHAR NOT NULL             -- the shared lemma, the negating affix, or the stem
);

-- Your own pairs (lexgraph build --pairs FILE), one row per pair; they decide their pairs' labels first.
CREATE TABLE IF NOT EXISTS user_links (
    source     VARCHAR NOT NULL,           -- the pairs file
    row_number BIGINT NOT NULL,            -- its 1-based data row (the header is not a row)
    term_a     VARCHAR NOT NULL,           -- normalised as ingest does; term_a < term_b
    term_b     VARCHAR NOT NULL,
    relation   VARCHAR NOT NULL,           -- 'synonym', 'antonym', 'cohyponym' or 'unrelated'
    a_id       INTEGER,                    -- the terms' ids; NULL where a term is not in the build (kept, counted)
    b_id       INTEGER
);

-- Candidate pairs: k nearest neighbours (symmetric, de-duplicated) plus the pairs the evidence links.
CREATE TABLE IF NOT EXISTS candidates (
    a_id    INTEGER NOT NULL,
    b_id    INTEGER NOT NULL,
    term_a  VARCHAR NOT NULL,
    term_b  VARCHAR NOT NULL,
    cosine  FLOAT NOT NULL,
    rank    INTEGER,                       -- best (smallest) neighbour rank from either side; NULL: not a kNN pair
    source  VARCHAR NOT NULL DEFAULT 'knn' -- 'knn', or the evidence that added it: 'user', 'lexicon',
                                           -- 'morphology'
);

-- Relation discriminator output for every candidate pair (issue: relations).
CREATE TABLE IF NOT EXISTS relations (
    a_id          INTEGER NOT NULL,
    b_id          INTEGER NOT NULL,
    term_a        VARCHAR NOT NULL,
    term_b        VARCHAR NOT NULL,
    label         VARCHAR NOT NULL,        -- 'synonym', 'antonym', 'cohyponym', 'unrelated' (model or evidence),
                                           -- 'hypernym', 'variant', 'derived' (evidence only)
    p_synonym     FLOAT NOT NULL,
    p_antonym     FLOAT NOT NULL,
    p_cohyponym   FLOAT NOT NULL,
    p_unrelated   FLOAT NOT NULL,
    p_calibrated  FLOAT,                   -- p_synonym calibrated on unseen terms' candidate pairs: the share of
                                           -- such pairs that are wordnet synonyms; NULL if the model has none
    model         VARCHAR NOT NULL,
    evidence      VARCHAR NOT NULL DEFAULT 'model', -- who decided the label: 'model', 'user' (user_links),
                                           -- 'lexicon', 'morphology'
    detail        VARCHAR                  -- the evidence's reason, e.g. 'same synset ENG31-...', 'no link'
);

-- The synonym graph the clusters stage clustered: one row per edge (the gates and the evidence applied;
-- inflected forms, which follow their lemma, are not in the graph).
CREATE TABLE IF NOT EXISTS synonym_edges (
    a_id        INTEGER NOT NULL,          -- a_id < b_id, as in relations
    b_id        INTEGER NOT NULL,
    weight      FLOAT NOT NULL             -- the model's P(synonym), or for a lexicon synonym between the gate and 1
);

-- Hard clustering: every term in exactly one cluster (issue: clustering).
CREATE TABLE IF NOT EXISTS clusters (
    term_id     INTEGER NOT NULL,
    term        VARCHAR NOT NULL,
    cluster_id  INTEGER NOT NULL,
    method      VARCHAR NOT NULL,
    variant_of  VARCHAR                    -- NULL for a member; for an inflected form, the member it follows
);

-- One row per cluster.
CREATE TABLE IF NOT EXISTS cluster_summary (
    cluster_id      INTEGER NOT NULL,
    size            INTEGER NOT NULL,
    cohesion        DOUBLE,                -- internal synonym-edge density
    representative  VARCHAR NOT NULL
);

-- Soft stage: every candidate cluster a term joined during expansion.
CREATE TABLE IF NOT EXISTS senses (
    term_id     INTEGER NOT NULL,
    term        VARCHAR NOT NULL,
    cluster_id  INTEGER NOT NULL,
    score       DOUBLE NOT NULL
);

-- Why a term landed in its cluster: the votes it cast in the pruning stage.
CREATE TABLE IF NOT EXISTS cluster_votes (
    term_id     INTEGER NOT NULL,
    cluster_id  INTEGER NOT NULL,
    synonyms    INTEGER NOT NULL,          -- how many of the cluster's members are its synonyms
    main_synonyms INTEGER NOT NULL,        -- how many of those through its main sense (QUERYING: votes_of)
    confidence  DOUBLE NOT NULL,           -- summed P(synonym) to those members
    cohesion    DOUBLE NOT NULL,
    chosen      BOOLEAN NOT NULL
);

-- Nested density trees (issue: trees). One tree per (tree_name).
CREATE TABLE IF NOT EXISTS tree_nodes (
    tree        VARCHAR NOT NULL,          -- 'clusters' for the build's cluster tree, else the input's name
    node_id     INTEGER NOT NULL,
    parent_id   INTEGER,                   -- NULL for the root
    layer       INTEGER NOT NULL,          -- 0 = densest layer; the root has the highest layer
    epsilon     DOUBLE,
    size        INTEGER NOT NULL,
    label       VARCHAR
);

CREATE TABLE IF NOT EXISTS tree_members (
    tree        VARCHAR NOT NULL,
    node_id     INTEGER NOT NULL,
    item        VARCHAR NOT NULL           -- a term, a cluster id, or a document id, as the tree's input says
);
