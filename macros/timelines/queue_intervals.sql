{#-
    queue_interval_measures(prefix='', local=true): the key, the queue's attributes and the measures of a queue
    interval as int_queue_interval_traffic builds them (queue_id, interval_start, [local_interval_start,
    local_date,] site, channel, line of business, Erlang flag and threshold, offer outcomes, wait and handle sums,
    the forecast), comma-separated, each prefixed by `prefix` (e.g. 'traffic.'), for the CTEs and models that
    carry them on unchanged. local=false leaves out the two local columns (before they are computed);
    derived=true adds the columns the model derives from them (aht_s, aht_source, traffic_erlangs,
    service_level_target): all the columns of int_queue_interval_traffic.
-#}
{% macro queue_interval_measures(prefix='', local=true, derived=false) -%}
    {%- set names = ['queue_id', 'interval_start'] + (['local_interval_start', 'local_date'] if local else []) + [
        'site_id', 'channel', 'line_of_business', 'is_erlang_queue', 'service_level_threshold_s', 'offers',
        'answered', 'abandoned', 'short_abandons', 'answered_within_threshold', 'sum_wait_s', 'sum_answered_wait_s',
        'handled_segments', 'sum_handle_s', 'forecast_contacts', 'forecast_aht_s',
    ] + (['aht_s', 'aht_source', 'traffic_erlangs', 'service_level_target'] if derived else []) -%}
    {{ prefix }}{{ names | join(',\n        ' ~ prefix) }}
{%- endmacro %}
