// @generated automatically by Diesel CLI.

diesel::table! {
    login_failures (id) {
        id -> Integer,
        email -> Text,
        client_ip -> Text,
        failed_at -> Timestamp,
    }
}

diesel::table! {
    performance_prices (performance_id, zone) {
        performance_id -> Integer,
        zone -> Text,
        price -> BigInt,
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
    seats (id) {
        id -> Integer,
        venue_id -> Integer,
        row_number -> Integer,
        seat_number -> Integer,
        zone -> Text,
        x -> Integer,
        y -> Integer,
        accessible -> Bool,
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
    users (id) {
        id -> Integer,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        created_at -> Timestamp,
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

diesel::joinable!(performance_prices -> performances (performance_id));
diesel::joinable!(performances -> productions (production_id));
diesel::joinable!(performances -> venues (venue_id));
diesel::joinable!(seat_blocks -> performances (performance_id));
diesel::joinable!(seat_blocks -> seats (seat_id));
diesel::joinable!(seat_blocks -> users (created_by));
diesel::joinable!(seats -> venues (venue_id));
diesel::joinable!(sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    login_failures,
    performance_prices,
    performances,
    productions,
    seat_blocks,
    seats,
    sessions,
    users,
    venues,
);
