{#- ln(k!) for k = 0 .. var erlang_max_agents, as a running sum of ln(j) over a numbers relation: the
    Poisson terms of Erlang C are computed in log space from it, so no factorial ever overflows. -#}
with

numbers as (

    {{ sb_numbers(var('erlang_max_agents') | int + 1) }}

),

log_terms as (

    select
        n as k,
        case when n > 1 then ln(n) else 0 end as ln_k
    from numbers

),

final as (

    select
        k,
        sum(ln_k) over (order by k rows between unbounded preceding and current row) as log_factorial
    from log_terms

)

select
    k,
    log_factorial
from final
