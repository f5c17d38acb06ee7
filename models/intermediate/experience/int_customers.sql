{#- Customer history without PII: one row per version of the daily CRM extract (SCD2, a new version only where
    something but _extracted_at changed), so segment, churn and lifetime revenue are known as of any date.
    Names, e-mails and phone numbers never leave staging; customer_id is the CRM's own key (not PII by the
    landing contract) and joins fct_contacts, fct_surveys and fct_cases. -#}
with

versions as (

    select
        customer_id,
        segment,
        created_at,
        churned_at,
        churn_reason,
        lifetime_revenue,
        currency,
        valid_from,
        valid_to,
        is_current
    from {{ ref('stg_crm__customers') }}

),

final as (

    select
        customer_id,
        segment,
        created_at,
        churned_at,
        churn_reason,
        churned_at is not null as is_churned,
        segment = 'key_account' as is_key_account,
        cast(lifetime_revenue as double) as lifetime_revenue,
        currency,
        valid_from,
        valid_to,
        is_current
    from versions

)

select
    customer_id,
    segment,
    created_at,
    churned_at,
    churn_reason,
    is_churned,
    is_key_account,
    lifetime_revenue,
    currency,
    valid_from,
    valid_to,
    is_current
from final
