// @generated automatically by Diesel CLI.

diesel::table! {
    account_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        purpose -> Text,
        nonce -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    app_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        user_id -> Nullable<Integer>,
        action -> Text,
        booking_id -> Nullable<Integer>,
        performance_id -> Nullable<Integer>,
        details -> Text,
    }
}

diesel::table! {
    bookings (id) {
        id -> Integer,
        reference -> Text,
        performance_id -> Integer,
        hold_id -> Nullable<Integer>,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        language -> Text,
        status -> Text,
        total -> BigInt,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
        sold_by -> Nullable<Integer>,
        comp -> Bool,
        exchanges -> Integer,
    }
}

diesel::table! {
    checkins (id) {
        id -> Integer,
        ticket_id -> Integer,
        performance_id -> Integer,
        direction -> Text,
        at -> Timestamp,
        user_id -> Integer,
        device -> Text,
        undone_at -> Nullable<Timestamp>,
        undone_by -> Nullable<Integer>,
    }
}

diesel::table! {
    credits (production_id, position) {
        production_id -> Integer,
        position -> Integer,
        kind -> Text,
        role -> Text,
        name -> Text,
    }
}

diesel::table! {
    holds (id) {
        id -> Integer,
        performance_id -> Integer,
        token_hash -> Text,
        seat_count -> Integer,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        waitlist_entry_id -> Nullable<Integer>,
    }
}

diesel::table! {
    idempotency_keys (idempotency_key) {
        idempotency_key -> Text,
        request_hash -> Text,
        booking_id -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> Integer,
        email -> Text,
        client_ip -> Text,
        failed_at -> Timestamp,
        kind -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> Integer,
        kind -> Text,
        booking_id -> Nullable<Integer>,
        recipient -> Text,
        details -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        waitlist_entry_id -> Nullable<Integer>,
        account_token_id -> Nullable<Integer>,
        failed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    payments (id) {
        id -> Integer,
        booking_id -> Integer,
        amount -> BigInt,
        method -> Text,
        kind -> Text,
        recorded_by -> Nullable<Integer>,
        recorded_at -> Timestamp,
        note -> Nullable<Text>,
        idempotency_key -> Nullable<Text>,
        request_hash -> Nullable<Text>,
    }
}

diesel::table! {
    performance_prices (performance_id, zone, ticket_type) {
        performance_id -> Integer,
        zone -> Text,
        price -> BigInt,
        ticket_type -> Text,
    }
}

diesel::table! {
    performances (id) {
        id -> Integer,
        production_id -> Integer,
        venue_id -> Integer,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        status -> Text,
        sales_open_at -> Nullable<Timestamp>,
        sales_close_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        seats_version -> BigInt,
        release_unpaid_minutes -> Nullable<Integer>,
    }
}

diesel::table! {
    productions (id) {
        id -> Integer,
        title -> Text,
        description -> Text,
        duration_minutes -> Integer,
        intermission_minutes -> Integer,
        age_rating -> Text,
        language -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        exchange_cutoff_minutes -> Nullable<Integer>,
        max_exchanges -> Nullable<Integer>,
        poster -> Nullable<Text>,
    }
}

diesel::table! {
    scan_results (nonce) {
        nonce -> Text,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    seat_blocks (id) {
        id -> Integer,
        performance_id -> Integer,
        seat_id -> Integer,
        reason -> Text,
        release_at -> Nullable<Timestamp>,
        created_by -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    seat_claims (performance_id, seat_id) {
        performance_id -> Integer,
        seat_id -> Integer,
        hold_id -> Nullable<Integer>,
        booking_id -> Nullable<Integer>,
        block_id -> Nullable<Integer>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    seats (id) {
        id -> Integer,
        venue_id -> Integer,
        row_number -> Integer,
        seat_number -> Integer,
        zone -> Text,
        x -> Integer,
        y -> Integer,
        accessible -> Bool,
        companion_of -> Nullable<Integer>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Integer,
        user_id -> Integer,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tickets (id) {
        id -> Integer,
        booking_id -> Integer,
        performance_id -> Integer,
        seat_id -> Integer,
        code -> Text,
        price -> BigInt,
        status -> Text,
        created_at -> Timestamp,
        inside -> Bool,
        ticket_type -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamp,
        active -> Bool,
        language -> Text,
        last_signin_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    venues (id) {
        id -> Integer,
        name -> Text,
        address -> Text,
        timezone -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    waitlist_entries (id) {
        id -> Integer,
        performance_id -> Integer,
        name -> Text,
        email -> Text,
        language -> Text,
        seats -> Integer,
        status -> Text,
        created_at -> Timestamp,
        offered_at -> Nullable<Timestamp>,
        offer_expires_at -> Nullable<Timestamp>,
        booking_id -> Nullable<Integer>,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    zone_names (venue_id, zone) {
        venue_id -> Integer,
        zone -> Text,
        name_ru -> Nullable<Text>,
        name_kk -> Nullable<Text>,
        name_en -> Nullable<Text>,
    }
}

diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(audit_log -> bookings (booking_id));
diesel::joinable!(audit_log -> performances (performance_id));
diesel::joinable!(audit_log -> users (user_id));
diesel::joinable!(bookings -> holds (hold_id));
diesel::joinable!(bookings -> performances (performance_id));
diesel::joinable!(bookings -> users (sold_by));
diesel::joinable!(checkins -> performances (performance_id));
diesel::joinable!(checkins -> tickets (ticket_id));
diesel::joinable!(credits -> productions (production_id));
diesel::joinable!(holds -> performances (performance_id));
diesel::joinable!(holds -> waitlist_entries (waitlist_entry_id));
diesel::joinable!(idempotency_keys -> bookings (booking_id));
diesel::joinable!(outbox -> account_tokens (account_token_id));
diesel::joinable!(outbox -> bookings (booking_id));
diesel::joinable!(outbox -> waitlist_entries (waitlist_entry_id));
diesel::joinable!(payments -> bookings (booking_id));
diesel::joinable!(payments -> users (recorded_by));
diesel::joinable!(performance_prices -> performances (performance_id));
diesel::joinable!(performances -> productions (production_id));
diesel::joinable!(performances -> venues (venue_id));
diesel::joinable!(seat_blocks -> performances (performance_id));
diesel::joinable!(seat_blocks -> seats (seat_id));
diesel::joinable!(seat_blocks -> users (created_by));
diesel::joinable!(seat_claims -> bookings (booking_id));
diesel::joinable!(seat_claims -> holds (hold_id));
diesel::joinable!(seat_claims -> performances (performance_id));
diesel::joinable!(seat_claims -> seat_blocks (block_id));
diesel::joinable!(seat_claims -> seats (seat_id));
diesel::joinable!(seats -> venues (venue_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(tickets -> bookings (booking_id));
diesel::joinable!(tickets -> performances (performance_id));
diesel::joinable!(tickets -> seats (seat_id));
diesel::joinable!(waitlist_entries -> bookings (booking_id));
diesel::joinable!(waitlist_entries -> performances (performance_id));
diesel::joinable!(zone_names -> venues (venue_id));

diesel::allow_tables_to_appear_in_same_query!(
    account_tokens,
    app_secrets,
    audit_log,
    bookings,
    checkins,
    credits,
    holds,
    idempotency_keys,
    login_failures,
    outbox,
    payments,
    performance_prices,
    performances,
    productions,
    scan_results,
    seat_blocks,
    seat_claims,
    seats,
    sessions,
    tickets,
    users,
    venues,
    waitlist_entries,
    zone_names,
);
