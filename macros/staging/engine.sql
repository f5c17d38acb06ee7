{#-
    Engine-specific SQL used by staging, one dispatched macro per function so models stay
    adapter-neutral. default__ implementations are DuckDB semantics; spark__ ones are given
    where they are trivial (the Spark target is not built yet).
-#}


{#- Lower-case hex SHA-256 of a text expression (null in, null out). -#}
{% macro sb_hash_text(expr) %}
    {{ return(adapter.dispatch('sb_hash_text', 'switchboard')(expr)) }}
{% endmacro %}

{% macro default__sb_hash_text(expr) -%}
    sha256({{ expr }})
{%- endmacro %}

{% macro spark__sb_hash_text(expr) -%}
    sha2({{ expr }}, 256)
{%- endmacro %}


{#-
    Local wall-clock timestamp of a UTC timestamp in an IANA time zone, correct across
    daylight-saving changes. `ts` is a timestamp without time zone holding UTC.
-#}
{% macro sb_to_local(ts, time_zone) %}
    {{ return(adapter.dispatch('sb_to_local', 'switchboard')(ts, time_zone)) }}
{% endmacro %}

{% macro default__sb_to_local(ts, time_zone) -%}
    timezone({{ time_zone }}, timezone('UTC', {{ ts }}))
{%- endmacro %}

{% macro spark__sb_to_local(ts, time_zone) -%}
    from_utc_timestamp({{ ts }}, {{ time_zone }})
{%- endmacro %}


{#- Text of any typed value, for hashing (engine's canonical cast to string). -#}
{% macro sb_as_text(expr) -%}
    cast({{ expr }} as {{ dbt.type_string() }})
{%- endmacro %}


{#- An enumerated value as the contract spells it: trimmed and lower-cased. -#}
{% macro sb_clean_enum(expr) -%}
    lower(trim({{ expr }}))
{%- endmacro %}


{#-
    Salted hash of a PII value, for matching without the clear value. The value is trimmed and
    lower-cased first so the same address written differently still matches. The salt is the
    var pii_salt (env var SWITCHBOARD_PII_SALT; the demo default is marked CHANGE-ME).
-#}
{% macro sb_pii_hash(expr) -%}
    case
        when {{ expr }} is not null
            then {{ sb_hash_text(dbt.concat([sb_literal((var('pii_salt') | string) ~ '|'), 'lower(trim(' ~ expr ~ '))'])) }}
    end
{%- endmacro %}
