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
    Row identity / change-detection hash of typed columns (a list of SQL expressions): the engine's own 64-bit
    hash of the values as typed, no text casts (SHA-256 of text cost a third of the largest base_ model; issue 14).
    Result type decimal(20, 0) on every engine (DuckDB hash() is a UBIGINT, Spark xxhash64() a BIGINT). The values
    differ between engines: use it for equality only (has a row changed?), never for an order or a published
    value. A null is hashed by position on both engines (Spark's xxhash64 skips nulls, so a null flag per column
    is hashed with it). Not for PII: salted PII hashes stay SHA-256 (sb_pii_hash).
-#}
{% macro sb_row_hash(columns) %}
    {{ return(adapter.dispatch('sb_row_hash', 'switchboard')(columns)) }}
{% endmacro %}

{% macro default__sb_row_hash(columns) -%}
    cast(hash({{ columns | join(', ') }}) as decimal(20, 0))
{%- endmacro %}

{% macro spark__sb_row_hash(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append(column) -%}
        {%- do parts.append(column ~ ' is null') -%}
    {%- endfor -%}
    cast(xxhash64({{ parts | join(', ') }}) as decimal(20, 0))
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
