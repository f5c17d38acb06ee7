{#-
    Incremental base_ models (DuckDB). A base_ model is incremental by landing file: a run reads only the files
    no earlier run processed (landing.<table>__new, made by register_landing), plus the rows already held for the
    keys those files touch, and ranks them together with the contract's tie-breaks (stage_classified_rows);
    dbt's delete+insert by key then replaces every row of those keys. Rows quarantined by a rule whose outcome
    depends on the run (orphan_reference: a late parent; future_timestamp: the clock moves on) are re-checked on
    every run, their keys with them. Each base_ model records, when it commits, the files it processed with
    their fingerprints (landing.processed_files) and the fingerprint of its rules.

    A table is reprocessed from every file (delete all, read all; the outcome of a full refresh) when exactness
    could not otherwise be kept:
      - an already-processed file changed (same name, new content) or disappeared;
      - its rules changed (the contract, the time-window vars, an orphan check's parent starting or stopping to
        deliver, the keys of a seed parent);
      - an orphan check's parent was rebuilt from every file in this run (a key the table's rows reference may be
        gone: such rows must become orphans);
      - there is no record of the files it processed (the first incremental run on an older build file);
      - a full extract (which stores only changed versions and a count of unchanged repeats) received an extract
        not later than the latest it holds, or holds a row quarantined as future_timestamp that is now in the
        window: ranking those needs the repeats it did not store.
    `dbt build --full-refresh` rebuilds every model from all files. On Spark base_ models are tables, rebuilt on
    every run.
-#}


{#- Rules whose outcome for a row already held can change from one run to the next. -#}
{% macro staging_recheck_rules() %}
    {{ return(['orphan_reference', 'future_timestamp']) }}
{% endmacro %}


{#- The materialization of the base_ models: incremental on DuckDB, a table elsewhere. -#}
{% macro staging_base_materialization() %}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{% endmacro %}


{#- The relation of a landing table's files not processed before (DuckDB; made by register_landing). -#}
{% macro staging_new_files_relation(source_name, table_name) %}
    {% set landing = source(source_name, table_name) %}
    {{ return(landing.incorporate(path={'identifier': landing.identifier ~ '__new'})) }}
{% endmacro %}


{#- A fingerprint of everything that decides a row's rule apart from the rows themselves: the contract of the
    table, the window vars, and per orphan check whether the parent holds rows (seed parents: their keys). -#}
{% macro staging_rules_fingerprint(meta) %}
    {% set parts = [tojson(meta), var('landing_earliest_event_date') | string,
        var('landing_future_tolerance_hours') | string, var('landing_planning_horizon_days') | string] %}
    {% if execute %}
        {% for reference in meta.get('references', []) %}
            {% set parent = staging_parent(reference) %}
            {% if reference.parent.startswith('seed:') %}
                {% set sql = "select md5(coalesce(string_agg(parent_key, '|' order by parent_key), '')) from (select"
                    ~ ' distinct cast(' ~ parent.key ~ ' as varchar) as parent_key from ' ~ parent.relation ~ ')' %}
            {% else %}
                {% set sql = 'select count(*) > 0 from ' ~ parent.relation %}
            {% endif %}
            {% do parts.append(run_query(sql).rows[0] | join('|')) %}
        {% endfor %}
    {% endif %}
    {{ return(local_md5(parts | join('\n'))) }}
{% endmacro %}


{#-
    How this run builds a base_ model: {'mode': 'full'} (no table yet, --full-refresh, or not DuckDB: read all
    files), {'mode': 'delta'} (new files and re-checked keys only) or {'mode': 'reprocess', 'reason': ...}
    (delete everything held, read all files). With `announce`, a reprocess is logged with its reason.
-#}
{% macro staging_increment_plan(meta, announce=false) %}
    {% if not execute or target.type != 'duckdb' or this is none or not is_incremental() %}
        {{ return({'mode': 'full'}) }}
    {% endif %}
    {% set table_id = meta.system ~ '/' ~ meta.name %}
    {% set reason = none %}
    {% set plan_relation = adapter.get_relation(database=this.database, schema='landing', identifier='increment_plan') %}
    {% if plan_relation is none %}
        {% set reason = 'the landing was not registered in this run (no landing.increment_plan)' %}
    {% else %}
        {% set planned = run_query(
            'select new_files, reprocess_reason from landing.increment_plan where table_id = ' ~ sb_literal(table_id)).rows %}
        {% set recorded = run_query(
            'select count(*), count(distinct rules_fingerprint), max(rules_fingerprint) from landing.processed_files'
            ~ ' where table_id = ' ~ sb_literal(table_id)).rows[0] %}
        {% set rebuilt_parent = staging_rebuilt_parent(meta) %}
        {% if not planned %}
            {% set reason = 'no plan for this table in landing.increment_plan' %}
        {% elif planned[0][1] is not none %}
            {% set reason = planned[0][1] %}
        {% elif rebuilt_parent is not none %}
            {% set reason = 'its orphan-check parent ' ~ rebuilt_parent
                ~ ' was rebuilt from every file in this run (a key its rows reference may be gone)' %}
        {% elif recorded[0] == 0 %}
            {% set reason = 'no record of the files it processed (first incremental run of this build file)' %}
        {% elif recorded[1] != 1 or recorded[2] != staging_rules_fingerprint(meta) %}
            {% set reason = 'its rules changed (contract, time-window vars, or an orphan check\'s parent)' %}
        {% elif meta.get('kind') == 'full_extract' %}
            {% set new_rows = staging_new_files_relation(meta.system, meta.name) %}
            {% set future_checks = [] %}
            {% for rule, column, condition in staging_rule_checks(meta) if rule == 'future_timestamp' %}
                {% do future_checks.append(condition) %}
            {% endfor %}
            {% set order = run_query(
                'select (select min(_extracted_at) from ' ~ new_rows ~ ') <= (select max(_extracted_at) from '
                ~ this ~ '), (select count(*) from ' ~ this ~ " as src where src._rule = 'future_timestamp' and not ("
                ~ future_checks | join(' or ') ~ '))').rows[0] %}
            {% if order[0] %}
                {% set reason = 'a full extract arrived that is not later than the latest extract held' %}
            {% elif order[1] > 0 %}
                {% set reason = order[1] ~ ' row(s) quarantined as future_timestamp are now within the window' %}
            {% endif %}
        {% endif %}
    {% endif %}
    {% if reason is not none %}
        {% if announce %}
            {% do log(this.identifier ~ ': reprocessing every landing file: ' ~ reason, info=true) %}
        {% endif %}
        {{ return({'mode': 'reprocess', 'reason': reason}) }}
    {% endif %}
    {{ return({'mode': 'delta'}) }}
{% endmacro %}


{#- The first orphan-check parent (a landing table, not a seed) of a table that this run rebuilt from every file, or
    none: a parent rebuilt may have lost a key that held rows of the child reference, so the child is reprocessed
    too (and its own children after it). -#}
{% macro staging_rebuilt_parent(meta) %}
    {% for reference in meta.get('references', []) if not reference.parent.startswith('seed:') %}
        {% set rows = run_query('select table_id from landing.increment_plan where rebuilt and table_id = '
            ~ sb_literal(reference.parent)).rows %}
        {% if rows %}{{ return(reference.parent) }}{% endif %}
    {% endfor %}
    {{ return(none) }}
{% endmacro %}


{#- pre-hook of a base_ model (DuckDB), in the model's transaction: before a reprocess, delete every row held; when
    the model is rebuilt from every file (reprocess, first build or --full-refresh), say so in landing.increment_plan
    for its children's plans. -#}
{% macro staging_reprocess_hook(source_name, table_name) %}
    {% if target.type != 'duckdb' or not execute %}{{ return('') }}{% endif %}
    {% set plan = staging_increment_plan(staging_contract_table(source_name, table_name)) %}
    {% if plan.mode == 'delta' %}{{ return('') }}{% endif %}
    {% set statements = ['delete from ' ~ this] if plan.mode == 'reprocess' else [] %}
    {% if adapter.get_relation(database=this.database, schema='landing', identifier='increment_plan') is not none %}
        {% do statements.append('update landing.increment_plan set rebuilt = true where table_id = '
            ~ sb_literal(source_name ~ '/' ~ table_name)) %}
    {% endif %}
    {{ return(statements | join(';\n')) }}
{% endmacro %}


{#- post-hook of a base_ model (DuckDB): record the files it has processed, in the transaction that commits it. -#}
{% macro staging_record_processed(source_name, table_name) %}
    {% if target.type != 'duckdb' or not execute %}{{ return('') }}{% endif %}
    {% set meta = staging_contract_table(source_name, table_name) %}
    {% set table_id = sb_literal(source_name ~ '/' ~ table_name) %}
    {#- a table without files gets one row with a null file, so the next run knows it processed nothing -#}
    {{ return('delete from landing.processed_files where table_id = ' ~ table_id ~ ';\n'
        ~ 'insert into landing.processed_files select ' ~ table_id ~ ', present.source_file, present.fingerprint, '
        ~ sb_literal(staging_rules_fingerprint(meta)) ~ ', current_timestamp'
        ~ ' from (select 1) as one_row left join landing.files_present as present on present.table_id = ' ~ table_id) }}
{% endmacro %}
