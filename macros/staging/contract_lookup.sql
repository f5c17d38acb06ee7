{#-
    Lookups in the landing contract (macro landing_contract(), generated from switchboard/contract.py) that
    return data, not SQL. They live apart from the macros that call them: sqlfluff's jinja templater (make lint)
    only honours {{ return(...) }} of a macro called from another file.
-#}


{#- Contract meta of one landing table (macro landing_contract(), generated from contract.py). -#}
{% macro staging_contract_table(source_name, table_name) %}
    {% set contract = landing_contract() %}
    {% set table_id = source_name ~ '/' ~ table_name %}
    {% if table_id not in contract %}
        {{ exceptions.raise_compiler_error('staging: ' ~ table_id ~ ' is not a table of the landing contract') }}
    {% endif %}
    {{ return(contract[table_id]) }}
{% endmacro %}


{#- The enumeration of one contract column as a Jinja list of strings, contract order, minus `exclude`. -#}
{% macro contract_enum(table_id, column, exclude=[]) %}
    {% set contract = landing_contract() %}
    {% if table_id not in contract %}
        {{ exceptions.raise_compiler_error("contract_enum: '" ~ table_id ~ "' is not a table of the landing contract") }}
    {% endif %}
    {% set found = contract[table_id].columns | selectattr('name', 'equalto', column) | list %}
    {% if not found or not found[0].get('enum') %}
        {{ exceptions.raise_compiler_error("contract_enum: '" ~ table_id ~ "." ~ column ~ "' is not an enumerated column of the landing contract") }}
    {% endif %}
    {% set values = found[0].enum %}
    {% for value in exclude if value not in values %}
        {{ exceptions.raise_compiler_error("contract_enum: '" ~ value ~ "' is not a value of " ~ table_id ~ "." ~ column) }}
    {% endfor %}
    {{ return(values | reject('in', exclude) | list) }}
{% endmacro %}


{#- Name of the base model of a contract table (a landing_contract() entry). -#}
{% macro staging_base_model(src) %}
    {{ return('base_' ~ src.system ~ '__' ~ src.name) }}
{% endmacro %}


{#- Ordered list of (rule, column, condition) checks of one landing table. -#}
{% macro staging_rule_checks(meta) %}
    {% set columns = meta.columns %}
    {% set checks = [] %}

    {#- null_key: a key column is empty (not unparseable: that is the next rule); a missing
        _extracted_at also counts, as the version key -#}
    {% for key in meta.key %}
        {% do checks.append(('null_key', key,
            'src.' ~ key ~ " is null and coalesce(src._unparseable_column, '') <> '" ~ key ~ "'")) %}
    {% endfor %}
    {% do checks.append(('null_key', '_extracted_at',
        "src._extracted_at is null and coalesce(src._unparseable_column, '') <> '_extracted_at'")) %}

    {% do checks.append(('unparseable_value', 'src._unparseable_column', 'src._unparseable_column is not null')) %}

    {% for col in columns if col.get('enum') %}
        {% set quoted = [] %}
        {% for value in col.enum %}{% do quoted.append("'" ~ value ~ "'") %}{% endfor %}
        {% do checks.append(('unknown_value', col.name,
            'src.' ~ col.name ~ ' is not null and ' ~ sb_clean_enum('src.' ~ col.name)
            ~ ' not in (' ~ quoted | join(', ') ~ ')')) %}
    {% endfor %}

    {% for col in columns if col.get('min') is not none or col.get('max') is not none %}
        {% set parts = [] %}
        {% if col.get('min') is not none %}{% do parts.append('src.' ~ col.name ~ ' < ' ~ col.min) %}{% endif %}
        {% if col.get('max') is not none %}{% do parts.append('src.' ~ col.name ~ ' > ' ~ col.max) %}{% endif %}
        {% do checks.append(('out_of_range', col.name, '(' ~ parts | join(' or ') ~ ')')) %}
    {% endfor %}

    {#- out_of_range also: a timestamp or date before the earliest event date (historic columns excepted) -#}
    {% set window = staging_time_window() %}
    {% for col in columns if col.contract_type in ('ts', 'date') and col.name not in meta.get('historic', []) %}
        {% do checks.append(('out_of_range', col.name, 'src.' ~ col.name ~ ' < ' ~ window.earliest[col.contract_type])) %}
    {% endfor %}

    {% for pair in meta.get('time_order', []) %}
        {% do checks.append(('time_order', pair[1], 'src.' ~ pair[1] ~ ' < src.' ~ pair[0])) %}
    {% endfor %}

    {% for col in meta.get('future_checked', []) %}
        {% do checks.append(('future_timestamp', col, 'src.' ~ col ~ ' > src._extracted_at')) %}
    {% endfor %}
    {#- future_timestamp also: later than the build's clock + the tolerance (planned columns: + the horizon),
        _extracted_at included -#}
    {% for col in columns if col.contract_type in ('ts', 'date') %}
        {% set latest = window.latest_planned if col.name in meta.get('planned', []) else window.latest %}
        {% do checks.append(('future_timestamp', col.name, 'src.' ~ col.name ~ ' > ' ~ latest[col.contract_type])) %}
    {% endfor %}

    {% for ref_ in meta.get('references', []) %}
        {% set n = loop.index %}
        {% do checks.append(('orphan_reference', ref_.column,
            'src.' ~ ref_.column ~ ' is not null and parent_' ~ n ~ '.parent_key is null'
            ~ ' and parent_' ~ n ~ '_size.parent_rows > 0')) %}
    {% endfor %}
    {{ return(checks) }}
{% endmacro %}


{#- The span of the calendar (int_calendar_dates, dim_date) as {'start': 'YYYY-MM-DD', 'end': 'YYYY-MM-DD'}: the
    vars calendar_start .. calendar_end, widened to every date staging can let through: from the day before the
    earliest event date to the day after the latest planned date (a UTC time is on the local date before or after
    its UTC date in the sites' time zones). So no staged event lies outside dim_date, whatever the vars say. -#}
{% macro staging_calendar_span() %}
    {% set window = staging_time_window() %}
    {% set one_day = modules.datetime.timedelta(days=1) %}
    {% set start = [window.bounds.earliest - one_day,
        modules.datetime.datetime.strptime(var('calendar_start') | string, '%Y-%m-%d')] | min %}
    {% set end = [window.bounds.latest_planned + one_day, window.bounds.latest + one_day,
        modules.datetime.datetime.strptime(var('calendar_end') | string, '%Y-%m-%d')] | max %}
    {{ return({'start': start.strftime('%Y-%m-%d'), 'end': end.strftime('%Y-%m-%d')}) }}
{% endmacro %}


{#- [a, b, c] -> [a, '|', b, '|', c], for dbt.concat. -#}
{% macro staging_interleave(parts) %}
    {% set out = [] %}
    {% for part in parts %}
        {% if not loop.first %}{% do out.append("'|'") %}{% endif %}
        {% do out.append(part) %}
    {% endfor %}
    {{ return(out) }}
{% endmacro %}


{#- Schema the base_ models are built in (the only relations allowed to hold clear PII, with the landing views). -#}
{% macro staging_base_schema() %}
    {% for node in graph.get('nodes', {}).values() if node.resource_type == 'model' and node.package_name == project_name
        and node.name.startswith('base_') %}
        {{ return(node.schema) }}
    {% endfor %}
    {{ return(target.schema) }}
{% endmacro %}
