{#-
    register_landing(): make every landing table a relation dbt sources can read.

    Runs as on-run-start. For each source of this project (one per landing table, generated
    from switchboard/contract.py) it creates `landing.<system>__<table>`: the union of all the
    table's Parquet and CSV files, read in place (nothing is copied), with
      - every contract column typed (Parquet cast; CSV cells parsed with try_cast),
      - _source_file: the file path relative to the landing root,
      - _unparseable_column / _unparseable_value: the first CSV cell that did not parse as its
        contract type, and its text (staging quarantines such rows as `unparseable_value`).
    A table with no files (a missing or empty folder) becomes an empty relation with the
    contract's columns, so a center without e.g. a QA system still builds.
    Every path reaches SQL through sb_literal (macros/shims/sql_literal.sql), so a landing root
    with a quote, a space or any letter is data, not SQL.
    Engines differ in how files are listed, checked and read: see the dispatched implementations.
-#}
{% macro register_landing() %}
    {{ return(adapter.dispatch('register_landing', 'switchboard')()) }}
{% endmacro %}


{#- The landing sources of this project, in a stable order. -#}
{% macro landing_sources() %}
    {% set found = [] %}
    {% for node in graph.sources.values() | sort(attribute='unique_id') %}
        {% if node.package_name == project_name and node.source_meta.get('landing', false) %}
            {% do found.append(node) %}
        {% endif %}
    {% endfor %}
    {{ return(found) }}
{% endmacro %}


{#- SQL type of a contract type on the current engine. -#}
{% macro landing_sql_type(contract_type) %}
    {{ return(adapter.dispatch('landing_sql_type', 'switchboard')(contract_type)) }}
{% endmacro %}

{% macro default__landing_sql_type(contract_type) %}
    {% set types = {
        'str': 'varchar', 'int': 'bigint', 'dec': 'decimal(18,4)',
        'bool': 'boolean', 'ts': 'timestamp', 'date': 'date'} %}
    {{ return(types[contract_type]) }}
{% endmacro %}


{#- Parse one CSV text cell as a contract type; null when it does not parse. -#}
{% macro landing_parse_text(expr, contract_type) %}
    {{ return(adapter.dispatch('landing_parse_text', 'switchboard')(expr, contract_type)) }}
{% endmacro %}

{% macro duckdb__landing_parse_text(expr, contract_type) %}
    {%- if contract_type == 'str' -%}
        {{ return(expr) }}
    {%- elif contract_type == 'ts' -%}
        {#- via timestamptz so an explicit offset (Z, +02:00) is honoured; the session is UTC -#}
        {{ return('cast(try_cast(' ~ expr ~ ' as timestamptz) as timestamp)') }}
    {%- else -%}
        {{ return('try_cast(' ~ expr ~ ' as ' ~ landing_sql_type(contract_type) ~ ')') }}
    {%- endif -%}
{% endmacro %}


{#-
    DuckDB: the landing door first (switchboard/validation/door.py, registered as the SQL function
    switchboard_landing_door by the dbt-duckdb plugin switchboard.validation.dbt_plugin of the profile).
    It applies every check of `switchboard validate` except the row-level warnings: the landing root
    exists; every entry of a table folder is a .parquet or .csv file (any letter case) or matches var
    landing_ignored_files; every file's columns and types fit the contract (Parquet footer, CSV header);
    every Parquet page decodes, checksums verified where stored; every CSV row is UTF-8 and has one field
    per header column, and DuckDB parses the file. Any problem stops the run here, before any model runs,
    with the one-line messages `switchboard validate` prints. The views then read exactly the files the
    door checked (explicit lists, no glob).

    Incremental builds (macros/staging/increments.sql): the door fingerprints every file (size and SHA-256 of
    its bytes) and skips the full checks of files an earlier run processed unchanged
    (landing.processed_files, written by each base_ model when it commits). Beside landing.<table> it creates
      - landing.<table>__new: the same typed view over only the files not processed before, and
      - landing.files_present / landing.increment_plan: every file with its fingerprint, and per table the
        files new since the last run and why the whole table must be reprocessed (an already-processed file
        changed or disappeared), which the base_ models read.
-#}
{% macro duckdb__register_landing() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set root = var('landing_root') | string %}
    {% set root = root.rstrip('/') %}
    {% do run_query(
        'create schema if not exists landing;'
        ~ ' create table if not exists landing.processed_files (table_id varchar, source_file varchar,'
        ~ ' fingerprint varchar, rules_fingerprint varchar, processed_at timestamp)') %}
    {% set processed = {} %}
    {% set known = {} %}
    {% for row in run_query('select table_id, source_file, fingerprint from landing.processed_files').rows %}
        {% do processed.setdefault(row[0], {}).update({row[1]: row[2]}) %}
        {% do known.update({row[1]: row[2]}) %}
    {% endfor %}
    {% set door = landing_door(root, known) %}
    {% set statements = [
        'create or replace table landing.files_present (table_id varchar, source_file varchar, fingerprint varchar)',
        'create or replace table landing.increment_plan (table_id varchar, new_files integer, reprocess_reason varchar)'] %}

    {% for src in landing_sources() %}
        {% set table_id = src.source_name ~ '/' ~ src.name %}
        {% set files = door.tables.get(table_id, {}) %}
        {% set fingerprints = files.get('fingerprints', {}) %}
        {% set before = processed.get(table_id, {}) %}
        {% set new_files = {'parquet': [], 'csv': []} %}
        {% set reasons = [] %}
        {% for fmt in ['parquet', 'csv'] %}
            {% for rel in files.get(fmt, []) %}
                {% if rel not in before %}
                    {% do new_files[fmt].append(rel) %}
                {% elif before[rel] != fingerprints[rel] %}
                    {% do reasons.append(rel ~ ' changed since it was processed') %}
                {% endif %}
            {% endfor %}
        {% endfor %}
        {% for rel in before | sort if rel not in fingerprints %}
            {% do reasons.append(rel ~ ' was processed and is gone') %}
        {% endfor %}
        {% set values = [] %}
        {% for rel in fingerprints | sort %}
            {% do values.append('(' ~ sb_literal(table_id) ~ ', ' ~ sb_literal(rel) ~ ', ' ~ sb_literal(fingerprints[rel]) ~ ')') %}
        {% endfor %}
        {% if values %}
            {% do statements.append('insert into landing.files_present values ' ~ values | join(', ')) %}
        {% endif %}
        {% do statements.append('insert into landing.increment_plan values (' ~ sb_literal(table_id) ~ ', '
            ~ (new_files.parquet | length + new_files.csv | length) ~ ', '
            ~ (sb_literal(reasons[:3] | join('; ') ~ ('; ...' if reasons | length > 3 else '')) if reasons else 'null') ~ ')') %}
        {% do statements.append('create or replace view landing.' ~ src.identifier ~ ' as '
            ~ duckdb_landing_select(src, root, files)) %}
        {% do statements.append('create or replace view landing.' ~ src.identifier ~ '__new as '
            ~ duckdb_landing_select(src, root, new_files)) %}
    {% endfor %}

    {{ return(statements | join(';\n') ~ ';') }}
{% endmacro %}


{#- One landing table's files as a typed relation (DuckDB): the union of its Parquet files (cast) and CSV files
    (parsed, the first unparseable cell kept), or an empty relation with the contract's columns. `files`:
    {'parquet': [relative paths], 'csv': [relative paths]}. -#}
{% macro duckdb_landing_select(src, root, files) %}
    {% set columns = src.columns.values() | list %}
    {% set relative_file = 'replace(filename, ' ~ sb_literal(root ~ '/') ~ ", '') as _source_file" %}
    {% set parts = [] %}

    {% if files.get('parquet') %}
        {% set paths = [] %}
        {% for rel in files['parquet'] %}
            {% do paths.append(sb_literal(root ~ '/' ~ rel)) %}
        {% endfor %}
        {% set cols = [] %}
        {% for col in columns %}
            {% do cols.append('cast("' ~ col.name ~ '" as ' ~ landing_sql_type(col.meta.contract_type) ~ ') as "' ~ col.name ~ '"') %}
        {% endfor %}
        {% do parts.append(
            'select ' ~ cols | join(', ')
            ~ ', ' ~ relative_file
            ~ ', cast(null as varchar) as _unparseable_column, cast(null as varchar) as _unparseable_value'
            ~ ' from read_parquet([' ~ paths | join(', ') ~ '], union_by_name = true, filename = true)') %}
    {% endif %}

    {% if files.get('csv') %}
        {% set paths = [] %}
        {% for rel in files['csv'] %}
            {% do paths.append(sb_literal(root ~ '/' ~ rel)) %}
        {% endfor %}
        {% set cols = [] %}
        {% set bad_column = [] %}
        {% set bad_value = [] %}
        {% for col in columns %}
            {% set text = '"' ~ col.name ~ '"' %}
            {% set parsed = landing_parse_text(text, col.meta.contract_type) %}
            {% do cols.append(parsed ~ ' as "' ~ col.name ~ '"') %}
            {% if col.meta.contract_type != 'str' %}
                {% do bad_column.append('when ' ~ text ~ ' is not null and ' ~ parsed ~ " is null then '" ~ col.name ~ "'") %}
                {% do bad_value.append('when ' ~ text ~ ' is not null and ' ~ parsed ~ ' is null then ' ~ text) %}
            {% endif %}
        {% endfor %}
        {% do parts.append(
            'select ' ~ cols | join(', ')
            ~ ', ' ~ relative_file
            ~ (', case ' ~ bad_column | join(' ') ~ ' end as _unparseable_column' if bad_column else ', cast(null as varchar) as _unparseable_column')
            ~ (', case ' ~ bad_value | join(' ') ~ ' end as _unparseable_value' if bad_value else ', cast(null as varchar) as _unparseable_value')
            ~ ' from read_csv([' ~ paths | join(', ') ~ '], all_varchar = true, header = true, union_by_name = true,'
            ~ " filename = true, delim = ',', quote = '\"', escape = '\"')") %}
    {% endif %}

    {% if not parts %}
        {% set cols = [] %}
        {% for col in columns %}
            {% do cols.append('cast(null as ' ~ landing_sql_type(col.meta.contract_type) ~ ') as "' ~ col.name ~ '"') %}
        {% endfor %}
        {% do parts.append(
            'select ' ~ cols | join(', ')
            ~ ', cast(null as varchar) as _source_file, cast(null as varchar) as _unparseable_column'
            ~ ', cast(null as varchar) as _unparseable_value where 1 = 0') %}
    {% endif %}
    {{ return(parts | join(' union all ')) }}
{% endmacro %}


{#- The landing door's report on `root` (DuckDB): stops the run on any problem, logs the warnings,
    returns {tables: {<system>/<table>: {parquet: [...], csv: [...]}}} with paths relative to the root. -#}
{% macro landing_door(root, known={}) %}
    {% set plugin = run_query(
        "select count(*) from duckdb_functions() where function_name = 'switchboard_landing_door'") %}
    {% if plugin.columns[0].values()[0] == 0 %}
        {{ exceptions.raise_compiler_error(
            'register_landing needs the landing door of the Switchboard dbt-duckdb plugin: add'
            ~ ' `plugins: [{module: switchboard.validation.dbt_plugin}]` to the DuckDB target of your profiles.yml'
            ~ ' (as profiles/profiles.yml of this project does)') }}
    {% endif %}
    {% set result = run_query(
        'select switchboard_landing_door(' ~ sb_literal(root) ~ ', '
        ~ sb_literal(tojson(var('landing_ignored_files', []))) ~ ', ' ~ sb_literal(tojson(known)) ~ ')') %}
    {% set door = fromjson(result.columns[0].values()[0]) %}
    {% for warning in door.warnings %}
        {% do log('warning: ' ~ warning, info=true) %}
    {% endfor %}
    {% if door.problems %}
        {% set lines = [] %}
        {% for problem in door.problems[:50] %}
            {% do lines.append('landing validation failed: ' ~ problem) %}
        {% endfor %}
        {% if door.problems | length > 50 %}
            {% do lines.append('landing validation failed: ... and ' ~ (door.problems | length - 50) ~ ' more problems') %}
        {% endif %}
        {% do lines.append(
            'landing validation failed: ' ~ door.problems | length ~ ' problem(s) with the landing files;'
            ~ ' the run stops before any model (register_landing applies the checks of switchboard validate)') %}
        {{ exceptions.raise_compiler_error(lines | join('\n')) }}
    {% endif %}
    {{ return(door) }}
{% endmacro %}


{#- ---------------------------------------------------------------------------------------------
    Spark: the same relations as persistent views in database `landing`.
      - The door is lighter than DuckDB's (no plugin can run Python there; `switchboard build` runs
        `switchboard validate`, the full door, before dbt): every file of a table folder is a .parquet
        or .csv file in any letter case, or matches var landing_ignored_files (`*` and `?` wildcards),
        or the run stops naming it with the message of the full door. Spark lists no file whose name
        starts with '.' or '_' (the full door refuses such data files), nor sub-folders.
      - Parquet files are read in place with Spark's file source (`parquet.`<folder>/*.[pP]...``,
        the extension in any letter case), columns by name.
      - CSV files need reader options (header, RFC 4180 quotes), which a path query cannot take, so
        each table's CSV files are first registered as an external table `landing.<table>__csv`
        (all columns text, nothing copied); the view parses them with try_cast. Columns are taken
        from the header of the first file, by position: every CSV of a table must have the same
        column order (the generator's and the contract's).
      - _source_file is the path relative to the landing root (<system>/<table>/<file>), from the
        file source's `_metadata.file_path`.
    The files present are listed once with the binaryFile source (paths only, no content read).
    Paths reach SQL through sb_literal, or sb_spark_path where Spark takes a path as an identifier.
-#}
{% macro spark__landing_sql_type(contract_type) %}
    {% set types = {
        'str': 'string', 'int': 'bigint', 'dec': 'decimal(18,4)',
        'bool': 'boolean', 'ts': 'timestamp', 'date': 'date'} %}
    {{ return(types[contract_type]) }}
{% endmacro %}


{% macro spark__landing_parse_text(expr, contract_type) %}
    {%- if contract_type == 'str' -%}
        {{ return(expr) }}
    {%- elif contract_type == 'bool' -%}
        {#- Spark's cast also takes t/f, y/n, yes/no, 1/0; the contract (and DuckDB's reading) says true/false -#}
        {{ return('case when lower(trim(' ~ expr ~ ")) in ('true', 'false') then try_cast(" ~ expr ~ ' as boolean) end') }}
    {%- else -%}
        {#- try_cast: null instead of an error; timestamps honour an explicit offset (Z, +02:00), session is UTC -#}
        {{ return('try_cast(' ~ expr ~ ' as ' ~ landing_sql_type(contract_type) ~ ')') }}
    {%- endif -%}
{% endmacro %}


{#- The landing path of a Spark file-source row, relative to the landing root: <system>/<table>/<file>. -#}
{% macro spark_landing_relative_path() -%}
    regexp_extract(_metadata.file_path, '([^/]+/[^/]+/[^/]+)$', 1)
{%- endmacro %}


{% macro spark__register_landing() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set root = var('landing_root') | string %}
    {% set root = root.rstrip('/') %}
    {% do run_query('create database if not exists landing') %}

    {#- one listing of the whole landing zone: "<system>/<table>|<extension>" with at least one file -#}
    {% set listing = run_query(
        "select regexp_extract(path, '([^/]+)/([^/]+)/([^/]+)$', 1) as system_name,"
        ~ " regexp_extract(path, '([^/]+)/([^/]+)/([^/]+)$', 2) as table_name,"
        ~ " regexp_extract(path, '([^/]+)/([^/]+)/([^/]+)$', 3) as file_name"
        ~ ' from binaryFile.' ~ sb_spark_path(root ~ '/*/*/*')) %}
    {% set table_dirs = [] %}
    {% for src in landing_sources() %}
        {% do table_dirs.append(src.source_name ~ '/' ~ src.name) %}
    {% endfor %}
    {% set present = [] %}
    {% set problems = [] %}
    {% for row in listing.rows if (row[0] ~ '/' ~ row[1]) in table_dirs %}
        {% set extension = (row[2] | lower).rsplit('.', 1)[-1] if '.' in row[2] else '' %}
        {% if extension in ('parquet', 'csv') %}
            {% do present.append(row[0] ~ '/' ~ row[1] ~ '|' ~ extension) %}
        {% elif not landing_file_ignored(row[2]) %}
            {% do problems.append(
                'landing validation failed: ' ~ row[0] ~ '/' ~ row[1] ~ '/' ~ row[2] ~ ': not a landing file: only'
                ~ ' .parquet and .csv files are read (in any letter case); remove it, or add its name to var'
                ~ ' landing_ignored_files') %}
        {% endif %}
    {% endfor %}
    {% if problems %}
        {{ exceptions.raise_compiler_error(problems | join('\n')) }}
    {% endif %}
    {#- CSV tables of an earlier run, dropped below (one metastore call for the names, not one per table) -#}
    {% set earlier_csv_tables = [] %}
    {% for row in run_query("show tables in landing like '*__csv'").rows %}
        {% do earlier_csv_tables.append('landing.' ~ (row[1] | lower)) %}
    {% endfor %}

    {% for src in landing_sources() %}
        {% set table_dir = src.source_name ~ '/' ~ src.name %}
        {% set folder = root ~ '/' ~ table_dir %}
        {% set csv_table = 'landing.' ~ src.identifier ~ '__csv' %}
        {% set columns = src.columns.values() | list %}
        {% set parts = [] %}

        {% if (table_dir ~ '|parquet') in present %}
            {% set cols = [] %}
            {% for col in columns %}
                {% do cols.append('cast(' ~ adapter.quote(col.name) ~ ' as ' ~ landing_sql_type(col.meta.contract_type) ~ ') as ' ~ adapter.quote(col.name)) %}
            {% endfor %}
            {% do parts.append(
                'select ' ~ cols | join(', ')
                ~ ', ' ~ spark_landing_relative_path() ~ ' as _source_file'
                ~ ', cast(null as string) as _unparseable_column, cast(null as string) as _unparseable_value'
                ~ ' from parquet.' ~ sb_spark_path(folder ~ '/*.[pP][aA][rR][qQ][uU][eE][tT]')) %}
        {% endif %}

        {% if csv_table | lower in earlier_csv_tables %}
            {% do run_query('drop table if exists ' ~ csv_table) %}
        {% endif %}
        {% if (table_dir ~ '|csv') in present %}
            {% do run_query(
                'create table ' ~ csv_table ~ ' using csv options (path ' ~ sb_literal(folder ~ '/*.[cC][sS][vV]')
                ~ ", header 'true', escape '\"', multiLine 'true', mode 'PERMISSIVE')") %}
            {% set cols = [] %}
            {% set bad_column = [] %}
            {% set bad_value = [] %}
            {% for col in columns %}
                {% set text = adapter.quote(col.name) %}
                {% set parsed = landing_parse_text(text, col.meta.contract_type) %}
                {% do cols.append(parsed ~ ' as ' ~ text) %}
                {% if col.meta.contract_type != 'str' %}
                    {% do bad_column.append('when ' ~ text ~ ' is not null and ' ~ parsed ~ " is null then '" ~ col.name ~ "'") %}
                    {% do bad_value.append('when ' ~ text ~ ' is not null and ' ~ parsed ~ ' is null then ' ~ text) %}
                {% endif %}
            {% endfor %}
            {% do parts.append(
                'select ' ~ cols | join(', ')
                ~ ', ' ~ spark_landing_relative_path() ~ ' as _source_file'
                ~ (', case ' ~ bad_column | join(' ') ~ ' end as _unparseable_column' if bad_column else ', cast(null as string) as _unparseable_column')
                ~ (', case ' ~ bad_value | join(' ') ~ ' end as _unparseable_value' if bad_value else ', cast(null as string) as _unparseable_value')
                ~ ' from ' ~ csv_table) %}
        {% endif %}

        {% if not parts %}
            {% set cols = [] %}
            {% for col in columns %}
                {% do cols.append('cast(null as ' ~ landing_sql_type(col.meta.contract_type) ~ ') as ' ~ adapter.quote(col.name)) %}
            {% endfor %}
            {% do parts.append(
                'select ' ~ cols | join(', ')
                ~ ', cast(null as string) as _source_file, cast(null as string) as _unparseable_column'
                ~ ', cast(null as string) as _unparseable_value where 1 = 0') %}
        {% endif %}

        {% do run_query('create or replace view landing.' ~ src.identifier ~ ' as ' ~ parts | join(' union all ')) %}
    {% endfor %}

    {{ return('select 1') }}
{% endmacro %}


{#- True when a file name matches var landing_ignored_files, in any letter case (`*` and `?` wildcards): the Jinja
    twin of switchboard.validation.shape.is_ignored, for the Spark listing. -#}
{% macro landing_file_ignored(name) %}
    {% for pattern in var('landing_ignored_files', []) %}
        {% set regex = '^' ~ (modules.re.escape(pattern | lower) | replace('\\*', '.*') | replace('\\?', '.')) ~ '$' %}
        {% if modules.re.match(regex, name | lower) %}
            {{ return(true) }}
        {% endif %}
    {% endfor %}
    {{ return(false) }}
{% endmacro %}
