{#-
    Enumerations of the landing contract, read from landing_contract() (generated from
    switchboard/contract.py), so no model retypes a list of states, activities or channels.
    A table or column that is not an enumeration of the contract, or a value outside it, is a
    compile error naming what was asked for.
-#}


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


{#- The same enumeration as a SQL list literal: ('a', 'b', ...), for `x in {{ contract_values(...) }}`. -#}
{% macro contract_values(table_id, column, exclude=[]) %}
    {% set quoted = [] %}
    {% for value in contract_enum(table_id, column, exclude) %}{% do quoted.append("'" ~ value ~ "'") %}{% endfor %}
    {{ return('(' ~ quoted | join(', ') ~ ')') }}
{% endmacro %}


{#- One value of a contract enumeration as a quoted SQL literal ('logged_out'), checked against the contract. -#}
{% macro contract_value(table_id, column, value) %}
    {% if value not in contract_enum(table_id, column) %}
        {{ exceptions.raise_compiler_error("contract_value: '" ~ value ~ "' is not a value of " ~ table_id ~ "." ~ column) }}
    {% endif %}
    {{ return("'" ~ value ~ "'") }}
{% endmacro %}
