{#-
    Generic test: no relation of the warehouse other than the staging base_ models (and the landing
    views) has a column named like a column the landing contract marks PII. Returns the offending
    (schema, table, column); no row = pass. Checks the relations that exist when it runs (in a full
    `dbt build`, models built after it are checked by the next run and by tests/python/test_staging.py).
    Attach it to any model (it ignores it):
      data_tests:
        - no_pii_past_base_models
-#}
{% test no_pii_past_base_models(model) %}
    {{ return(adapter.dispatch('test_no_pii_past_base_models', 'switchboard')(model)) }}
{% endtest %}
