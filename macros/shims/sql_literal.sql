{#-
    sb_literal(value): a text value as a SQL string literal of the current engine, the one way a path,
    the PII salt or any other var reaches SQL as text. A landing root such as "data/it's here/lándíng"
    or a salt full of quotes is then data, never SQL.
      - DuckDB (standard SQL strings): a quote is doubled, a backslash is an ordinary character.
      - Spark (backslash escapes on by default): a backslash and a quote are escaped with a backslash.
        Doubling the quote, as standard SQL does, would be read by Spark as two adjacent literals and
        silently lose the quote.
-#}
{% macro sb_literal(value) %}
    {{ return(adapter.dispatch('sb_literal', 'switchboard')(value)) }}
{% endmacro %}

{% macro default__sb_literal(value) %}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{% endmacro %}

{% macro spark__sb_literal(value) %}
    {{ return("'" ~ (value | string | replace('\\', '\\\\') | replace("'", "\\'")) ~ "'") }}
{% endmacro %}


{#-
    sb_spark_path(path): a path as a Spark back-quoted identifier, for Spark's path queries
    (parquet.`<path>`, binaryFile.`<path>`), which take a path where an identifier goes and no literal;
    a back quote is doubled. Spark only.
-#}
{% macro sb_spark_path(path) %}
    {{ return('`' ~ (path | string | replace('`', '``')) ~ '`') }}
{% endmacro %}
