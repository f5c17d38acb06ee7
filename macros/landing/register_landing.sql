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
    Engines differ in how files are listed and read: see the dispatched implementations.
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


{% macro duckdb__register_landing() %}
    {% if not execute %}{{ return('') }}{% endif %}
    {% set root = var('landing_root') | string %}
    {% set root = root.rstrip('/') %}
    {% set statements = ['create schema if not exists landing'] %}

    {#- one listing of the whole landing zone instead of one per table -#}
    {% set listing = run_query(
        "select file from glob('" ~ root ~ "/*/*/*.parquet') union all "
        ~ "select file from glob('" ~ root ~ "/*/*/*.csv')") %}
    {#- the set of "<folder>|<extension>" that have at least one file -#}
    {% set present = [] %}
    {% for file in listing.columns[0].values() %}
        {% set folder, name = file.rsplit('/', 1) %}
        {% do present.append(folder ~ '|' ~ name.rsplit('.', 1)[1]) %}
    {% endfor %}

    {% for src in landing_sources() %}
        {% set folder = root ~ '/' ~ src.source_name ~ '/' ~ src.name %}
        {% set has_parquet = (folder ~ '|parquet') in present %}
        {% set has_csv = (folder ~ '|csv') in present %}
        {% set columns = src.columns.values() | list %}
        {% set parts = [] %}

        {% if has_parquet %}
            {% set cols = [] %}
            {% for col in columns %}
                {% do cols.append('cast("' ~ col.name ~ '" as ' ~ landing_sql_type(col.meta.contract_type) ~ ') as "' ~ col.name ~ '"') %}
            {% endfor %}
            {% do parts.append(
                'select ' ~ cols | join(', ')
                ~ ", replace(filename, '" ~ root ~ "/', '') as _source_file"
                ~ ', cast(null as varchar) as _unparseable_column, cast(null as varchar) as _unparseable_value'
                ~ " from read_parquet('" ~ folder ~ "/*.parquet', union_by_name = true, filename = true)") %}
        {% endif %}

        {% if has_csv %}
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
                ~ ", replace(filename, '" ~ root ~ "/', '') as _source_file"
                ~ (', case ' ~ bad_column | join(' ') ~ ' end as _unparseable_column' if bad_column else ', cast(null as varchar) as _unparseable_column')
                ~ (', case ' ~ bad_value | join(' ') ~ ' end as _unparseable_value' if bad_value else ', cast(null as varchar) as _unparseable_value')
                ~ " from read_csv('" ~ folder ~ "/*.csv', all_varchar = true, header = true, union_by_name = true, filename = true)") %}
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

        {% do statements.append(
            'create or replace view landing.' ~ src.identifier ~ ' as ' ~ parts | join(' union all ')) %}
    {% endfor %}

    {{ return(statements | join(';\n') ~ ';') }}
{% endmacro %}


{#- ---------------------------------------------------------------------------------------------
    Spark: the same relations as persistent views in database `landing`.
      - Parquet files are read in place with Spark's file source (`parquet.`<folder>/*.parquet``),
        columns by name.
      - CSV files need reader options (header, RFC 4180 quotes), which a path query cannot take, so
        each table's CSV files are first registered as an external table `landing.<table>__csv`
        (all columns text, nothing copied); the view parses them with try_cast. Columns are taken
        from the header of the first file, by position: every CSV of a table must have the same
        column order (the generator's and the contract's).
      - _source_file is the path relative to the landing root (<system>/<table>/<file>), from the
        file source's `_metadata.file_path`.
    The files present are listed once with the binaryFile source (paths only, no content read).
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
        "select distinct regexp_extract(path, '([^/]+/[^/]+)/[^/]+[.]([a-z]+)$', 1) as folder,"
        ~ " regexp_extract(path, '[.]([a-z]+)$', 1) as extension"
        ~ " from binaryFile.`" ~ root ~ "/*/*/*.{parquet,csv}`") %}
    {% set present = [] %}
    {% for row in listing.rows %}
        {% do present.append(row[0] ~ '|' ~ row[1]) %}
    {% endfor %}
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
                ~ ' from parquet.`' ~ folder ~ '/*.parquet`') %}
        {% endif %}

        {% if csv_table | lower in earlier_csv_tables %}
            {% do run_query('drop table if exists ' ~ csv_table) %}
        {% endif %}
        {% if (table_dir ~ '|csv') in present %}
            {% do run_query(
                'create table ' ~ csv_table ~ " using csv options (path '" ~ folder ~ "/*.csv', header 'true',"
                ~ " escape '\"', multiLine 'true', mode 'PERMISSIVE')") %}
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
