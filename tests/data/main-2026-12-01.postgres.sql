--
-- PostgreSQL database dump
--

\restrict dqnTXMzfkwRRELev6NdCbjYDyORu57eEkA9eUMqZwjp4hMRPViklSZPp2jX2diB

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: public; Type: SCHEMA; Schema: -; Owner: -
--

-- *not* creating schema, since initdb creates it


--
-- Name: SCHEMA public; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA public IS '';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: checkin; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.checkin (
    id integer NOT NULL,
    ticket integer,
    event integer,
    session_key integer DEFAULT 0 NOT NULL,
    scan_id character varying(64) DEFAULT ''::character varying NOT NULL,
    device integer,
    door character varying(100) DEFAULT ''::character varying NOT NULL,
    staff integer,
    scanned_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    received_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    status character varying(12) DEFAULT 'ok'::character varying NOT NULL,
    offline boolean DEFAULT false NOT NULL,
    flag character varying(24) DEFAULT ''::character varying NOT NULL,
    reviewed_at timestamp with time zone,
    reviewed_by integer,
    undone_by integer,
    undone_at timestamp with time zone
);


--
-- Name: checkin_device; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.checkin_device (
    id integer NOT NULL,
    event integer,
    session integer,
    name character varying(100) DEFAULT ''::character varying NOT NULL,
    door character varying(100) DEFAULT ''::character varying NOT NULL,
    token_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    created_by integer,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    revoked_at timestamp with time zone,
    last_sync_at timestamp with time zone,
    list_synced_at timestamp with time zone,
    paired_at timestamp with time zone,
    pairing_expires_at timestamp with time zone,
    pairing_hash character varying(64) DEFAULT NULL::character varying
);


--
-- Name: checkin_device_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.checkin_device_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: checkin_device_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.checkin_device_id_seq OWNED BY public.checkin_device.id;


--
-- Name: checkin_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.checkin_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: checkin_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.checkin_id_seq OWNED BY public.checkin.id;


--
-- Name: event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event (
    id integer NOT NULL,
    slug character varying(120) DEFAULT ''::character varying NOT NULL,
    kind character varying(30) DEFAULT 'other'::character varying NOT NULL,
    title character varying(200) DEFAULT ''::character varying NOT NULL,
    title_en character varying(200) DEFAULT ''::character varying NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    description_en text DEFAULT ''::text NOT NULL,
    venue integer,
    starts_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ends_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    capacity integer,
    status character varying(12) DEFAULT 'draft'::character varying NOT NULL,
    edition_year integer,
    uid character varying(64) DEFAULT ''::character varying NOT NULL,
    sequence integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_id_seq OWNED BY public.event.id;


--
-- Name: event_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.event_session (
    id integer NOT NULL,
    event integer,
    room integer,
    kind character varying(30) DEFAULT 'other'::character varying NOT NULL,
    title character varying(200) DEFAULT ''::character varying NOT NULL,
    title_en character varying(200) DEFAULT ''::character varying NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    description_en text DEFAULT ''::text NOT NULL,
    starts_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ends_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    uid character varying(64) DEFAULT ''::character varying NOT NULL,
    sequence integer DEFAULT 0 NOT NULL,
    cancelled boolean DEFAULT false NOT NULL
);


--
-- Name: event_session_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.event_session_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: event_session_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.event_session_id_seq OWNED BY public.event_session.id;


--
-- Name: login_link; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.login_link (
    id integer NOT NULL,
    token_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    next_url character varying(500) DEFAULT '/'::character varying NOT NULL,
    locale character varying(5) DEFAULT 'fr'::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    expires_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    used_at timestamp with time zone,
    staff_user integer
);


--
-- Name: login_link_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.login_link_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: login_link_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.login_link_id_seq OWNED BY public.login_link.id;


--
-- Name: meeting; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting (
    id integer NOT NULL,
    programme integer,
    producer integer,
    buyer integer,
    starts_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ends_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    table_number integer DEFAULT 0 NOT NULL,
    pinned boolean DEFAULT false NOT NULL,
    published boolean DEFAULT false NOT NULL,
    uid character varying(64) DEFAULT ''::character varying NOT NULL,
    sequence integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: meeting_commission; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_commission (
    id integer NOT NULL,
    programme integer,
    meeting integer,
    organisation integer,
    deal_nature character varying(300) DEFAULT ''::character varying NOT NULL,
    amount_cents integer DEFAULT 0 NOT NULL,
    rate_bp integer DEFAULT 1000 NOT NULL,
    commission_cents integer DEFAULT 0 NOT NULL,
    status character varying(12) DEFAULT 'proposed'::character varying NOT NULL,
    confirmed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: meeting_commission_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_commission_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_commission_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_commission_id_seq OWNED BY public.meeting_commission.id;


--
-- Name: meeting_day; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_day (
    id integer NOT NULL,
    programme integer,
    starts_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ends_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    breaks text DEFAULT '[]'::text NOT NULL
);


--
-- Name: meeting_day_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_day_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_day_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_day_id_seq OWNED BY public.meeting_day.id;


--
-- Name: meeting_decline; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_decline (
    id integer NOT NULL,
    source integer,
    target integer
);


--
-- Name: meeting_decline_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_decline_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_decline_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_decline_id_seq OWNED BY public.meeting_decline.id;


--
-- Name: meeting_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_id_seq OWNED BY public.meeting.id;


--
-- Name: meeting_participant; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_participant (
    id integer NOT NULL,
    programme integer,
    person integer,
    side character varying(10) DEFAULT ''::character varying NOT NULL,
    organisation_name character varying(200) DEFAULT ''::character varying NOT NULL,
    role character varying(150) DEFAULT ''::character varying NOT NULL,
    offer text DEFAULT ''::text NOT NULL,
    looking_for text DEFAULT ''::text NOT NULL,
    genres character varying(300) DEFAULT ''::character varying NOT NULL,
    formats character varying(300) DEFAULT ''::character varying NOT NULL,
    audiences character varying(300) DEFAULT ''::character varying NOT NULL,
    territory character varying(150) DEFAULT ''::character varying NOT NULL,
    needs_accessible boolean DEFAULT false NOT NULL,
    max_meetings integer,
    late boolean DEFAULT false NOT NULL,
    agenda_digest character varying(64) DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: meeting_participant_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_participant_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_participant_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_participant_id_seq OWNED BY public.meeting_participant.id;


--
-- Name: meeting_programme; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_programme (
    id integer NOT NULL,
    event integer,
    status character varying(20) DEFAULT 'draft'::character varying NOT NULL,
    wishes_open_at timestamp with time zone,
    wishes_close_at timestamp with time zone,
    publish_at timestamp with time zone,
    meeting_minutes integer DEFAULT 20 NOT NULL,
    max_meetings integer DEFAULT 8 NOT NULL,
    wish_limit integer DEFAULT 10 NOT NULL,
    tables integer DEFAULT 20 NOT NULL,
    reserved_tables integer DEFAULT 0 NOT NULL,
    accessible_tables character varying(200) DEFAULT '1'::character varying NOT NULL,
    commission_rate_bp integer DEFAULT 1000 NOT NULL,
    published_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    fairness_budget_bp integer DEFAULT 100
);


--
-- Name: meeting_programme_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_programme_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_programme_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_programme_id_seq OWNED BY public.meeting_programme.id;


--
-- Name: meeting_report; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_report (
    id integer NOT NULL,
    meeting integer,
    participant integer,
    took_place boolean DEFAULT false NOT NULL,
    deal boolean DEFAULT false NOT NULL,
    deal_nature character varying(300) DEFAULT ''::character varying NOT NULL,
    amount_cents integer,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: meeting_report_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_report_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_report_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_report_id_seq OWNED BY public.meeting_report.id;


--
-- Name: meeting_run; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_run (
    id integer NOT NULL,
    programme integer,
    kind character varying(10) DEFAULT 'full'::character varying NOT NULL,
    status character varying(60) DEFAULT ''::character varying NOT NULL,
    meetings integer DEFAULT 0 NOT NULL,
    total_weight double precision DEFAULT 0.0 NOT NULL,
    min_share double precision,
    seconds double precision DEFAULT 0.0 NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    best_total_weight double precision,
    fairness_budget_bp integer
);


--
-- Name: meeting_run_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_run_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_run_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_run_id_seq OWNED BY public.meeting_run.id;


--
-- Name: meeting_unavailability; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_unavailability (
    id integer NOT NULL,
    participant integer,
    starts_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    ends_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    note character varying(200) DEFAULT ''::character varying NOT NULL
);


--
-- Name: meeting_unavailability_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_unavailability_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_unavailability_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_unavailability_id_seq OWNED BY public.meeting_unavailability.id;


--
-- Name: meeting_unmet_wish; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_unmet_wish (
    id integer NOT NULL,
    run integer,
    source integer,
    target integer,
    priority integer DEFAULT 0 NOT NULL,
    reason character varying(20) DEFAULT ''::character varying NOT NULL
);


--
-- Name: meeting_unmet_wish_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_unmet_wish_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_unmet_wish_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_unmet_wish_id_seq OWNED BY public.meeting_unmet_wish.id;


--
-- Name: meeting_wish; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meeting_wish (
    id integer NOT NULL,
    source integer,
    target integer,
    priority integer DEFAULT 2 NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: meeting_wish_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.meeting_wish_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: meeting_wish_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.meeting_wish_id_seq OWNED BY public.meeting_wish.id;


--
-- Name: membership_year; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.membership_year (
    id integer NOT NULL,
    organisation integer,
    year integer DEFAULT 0 NOT NULL,
    dues_cents integer DEFAULT 0 NOT NULL,
    paid_on date
);


--
-- Name: membership_year_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.membership_year_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: membership_year_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.membership_year_id_seq OWNED BY public.membership_year.id;


--
-- Name: migration; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.migration (
    id integer NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    app_name character varying(200) DEFAULT ''::character varying NOT NULL,
    ran_on timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: migration_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.migration_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: migration_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.migration_id_seq OWNED BY public.migration.id;


--
-- Name: organisation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organisation (
    id integer NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    college integer DEFAULT 1 NOT NULL,
    revenue_band character varying(20) DEFAULT 'lt20k'::character varying NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    email_domain character varying(100) DEFAULT ''::character varying NOT NULL,
    city character varying(100) DEFAULT ''::character varying NOT NULL,
    website character varying(300) DEFAULT ''::character varying NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: organisation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.organisation_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: organisation_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.organisation_id_seq OWNED BY public.organisation.id;


--
-- Name: outbox_job; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox_job (
    id integer NOT NULL,
    actor character varying(100) DEFAULT ''::character varying NOT NULL,
    payload json DEFAULT '{}'::json NOT NULL,
    dedup_key character varying(200) DEFAULT NULL::character varying,
    status character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    max_attempts integer DEFAULT 5 NOT NULL,
    last_error text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    dispatched_at timestamp with time zone,
    started_at timestamp with time zone,
    finished_at timestamp with time zone
);


--
-- Name: outbox_job_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbox_job_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbox_job_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbox_job_id_seq OWNED BY public.outbox_job.id;


--
-- Name: person; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.person (
    id integer NOT NULL,
    first_name character varying(100) DEFAULT ''::character varying NOT NULL,
    last_name character varying(100) DEFAULT ''::character varying NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    organisation integer,
    role character varying(150) DEFAULT ''::character varying NOT NULL,
    phone character varying(40) DEFAULT ''::character varying NOT NULL,
    locale character varying(5) DEFAULT 'fr'::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: person_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.person_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: person_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.person_id_seq OWNED BY public.person.id;


--
-- Name: piccolo_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.piccolo_user (
    id integer NOT NULL,
    username character varying(100) DEFAULT ''::character varying NOT NULL,
    password character varying(255) DEFAULT ''::character varying NOT NULL,
    email character varying(255) DEFAULT ''::character varying NOT NULL,
    active boolean DEFAULT false NOT NULL,
    admin boolean DEFAULT false NOT NULL,
    first_name character varying(255) DEFAULT ''::character varying,
    last_name character varying(255) DEFAULT ''::character varying,
    superuser boolean DEFAULT false NOT NULL,
    last_login timestamp without time zone
);


--
-- Name: piccolo_user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.piccolo_user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: piccolo_user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.piccolo_user_id_seq OWNED BY public.piccolo_user.id;


--
-- Name: rate_limit_hit; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rate_limit_hit (
    id integer NOT NULL,
    key character varying(200) DEFAULT ''::character varying NOT NULL,
    at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: rate_limit_hit_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.rate_limit_hit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: rate_limit_hit_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.rate_limit_hit_id_seq OWNED BY public.rate_limit_hit.id;


--
-- Name: room; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.room (
    id integer NOT NULL,
    venue integer,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    capacity integer
);


--
-- Name: room_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.room_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: room_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.room_id_seq OWNED BY public.room.id;


--
-- Name: session_person; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.session_person (
    id integer NOT NULL,
    session integer,
    person integer,
    role character varying(20) DEFAULT 'speaker'::character varying NOT NULL
);


--
-- Name: session_person_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.session_person_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: session_person_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.session_person_id_seq OWNED BY public.session_person.id;


--
-- Name: sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sessions (
    id integer NOT NULL,
    token character varying(100) DEFAULT ''::character varying NOT NULL,
    user_id integer DEFAULT 0 NOT NULL,
    expiry_date timestamp without time zone DEFAULT (CURRENT_TIMESTAMP + '01:00:00'::interval) NOT NULL,
    max_expiry_date timestamp without time zone DEFAULT (CURRENT_TIMESTAMP + '7 days'::interval) NOT NULL
);


--
-- Name: sessions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.sessions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: sessions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.sessions_id_seq OWNED BY public.sessions.id;


--
-- Name: staff_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_user (
    id integer NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    password_hash text DEFAULT ''::text NOT NULL,
    role character varying(10) DEFAULT 'staff'::character varying NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_login_at timestamp with time zone
);


--
-- Name: staff_user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.staff_user_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: staff_user_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.staff_user_id_seq OWNED BY public.staff_user.id;


--
-- Name: ticket; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket (
    id integer NOT NULL,
    public_id character varying(32) DEFAULT ''::character varying NOT NULL,
    "order" integer,
    event integer,
    ticket_type integer,
    attendee_name character varying(200) DEFAULT ''::character varying NOT NULL,
    attendee_email character varying(254) DEFAULT ''::character varying NOT NULL,
    attendee_organisation character varying(200) DEFAULT ''::character varying NOT NULL,
    price_ht_cents integer DEFAULT 0 NOT NULL,
    vat_cents integer DEFAULT 0 NOT NULL,
    status character varying(12) DEFAULT 'valid'::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: ticket_credit_note; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_credit_note (
    id integer NOT NULL,
    number character varying(30) DEFAULT ''::character varying NOT NULL,
    year integer DEFAULT 0 NOT NULL,
    sequence integer DEFAULT 0 NOT NULL,
    invoice integer,
    "order" integer,
    issued_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    reason character varying(200) DEFAULT ''::character varying NOT NULL,
    total_ht_cents integer DEFAULT 0 NOT NULL,
    total_vat_cents integer DEFAULT 0 NOT NULL,
    total_ttc_cents integer DEFAULT 0 NOT NULL
);


--
-- Name: ticket_credit_note_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_credit_note_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_credit_note_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_credit_note_id_seq OWNED BY public.ticket_credit_note.id;


--
-- Name: ticket_document_counter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_document_counter (
    id integer NOT NULL,
    key character varying(40) DEFAULT ''::character varying NOT NULL,
    last integer DEFAULT 0 NOT NULL
);


--
-- Name: ticket_document_counter_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_document_counter_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_document_counter_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_document_counter_id_seq OWNED BY public.ticket_document_counter.id;


--
-- Name: ticket_event_sales; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_event_sales (
    id integer NOT NULL,
    event integer,
    sold integer DEFAULT 0 NOT NULL
);


--
-- Name: ticket_event_sales_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_event_sales_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_event_sales_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_event_sales_id_seq OWNED BY public.ticket_event_sales.id;


--
-- Name: ticket_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_id_seq OWNED BY public.ticket.id;


--
-- Name: ticket_invoice; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_invoice (
    id integer NOT NULL,
    number character varying(30) DEFAULT ''::character varying NOT NULL,
    year integer DEFAULT 0 NOT NULL,
    sequence integer DEFAULT 0 NOT NULL,
    "order" integer,
    issued_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    buyer_name character varying(200) DEFAULT ''::character varying NOT NULL,
    buyer_email character varying(254) DEFAULT ''::character varying NOT NULL,
    buyer_organisation character varying(200) DEFAULT ''::character varying NOT NULL,
    total_ht_cents integer DEFAULT 0 NOT NULL,
    total_vat_cents integer DEFAULT 0 NOT NULL,
    total_ttc_cents integer DEFAULT 0 NOT NULL
);


--
-- Name: ticket_invoice_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_invoice_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_invoice_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_invoice_id_seq OWNED BY public.ticket_invoice.id;


--
-- Name: ticket_member_confirmation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_member_confirmation (
    id integer NOT NULL,
    "order" integer,
    ticket integer,
    kind character varying(10) DEFAULT 'order'::character varying NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    token_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    new_name character varying(200) DEFAULT ''::character varying NOT NULL,
    new_organisation character varying(200) DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    expires_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    confirmed_at timestamp with time zone,
    superseded_at timestamp with time zone
);


--
-- Name: ticket_member_confirmation_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_member_confirmation_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_member_confirmation_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_member_confirmation_id_seq OWNED BY public.ticket_member_confirmation.id;


--
-- Name: ticket_stripe_event; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_stripe_event (
    id integer NOT NULL,
    event_id character varying(100) DEFAULT ''::character varying NOT NULL,
    event_type character varying(100) DEFAULT ''::character varying NOT NULL,
    object_id character varying(100) DEFAULT ''::character varying NOT NULL,
    processed_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: ticket_stripe_event_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_stripe_event_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_stripe_event_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_stripe_event_id_seq OWNED BY public.ticket_stripe_event.id;


--
-- Name: ticket_type; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_type (
    id integer NOT NULL,
    event integer,
    name character varying(120) DEFAULT ''::character varying NOT NULL,
    name_en character varying(120) DEFAULT ''::character varying NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    description_en text DEFAULT ''::text NOT NULL,
    price_cents integer DEFAULT 0 NOT NULL,
    vat_rate integer DEFAULT 20 NOT NULL,
    requires_membership boolean DEFAULT false NOT NULL,
    staff_only boolean DEFAULT false NOT NULL,
    capacity integer,
    sold integer DEFAULT 0 NOT NULL,
    max_per_order integer DEFAULT 10 NOT NULL,
    sales_start timestamp with time zone,
    sales_end timestamp with time zone,
    "position" integer DEFAULT 0 NOT NULL,
    active boolean DEFAULT true NOT NULL
);


--
-- Name: ticket_type_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_type_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_type_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_type_id_seq OWNED BY public.ticket_type.id;


--
-- Name: ticket_waiting_list; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticket_waiting_list (
    id integer NOT NULL,
    event integer,
    ticket_type integer,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    email character varying(254) DEFAULT ''::character varying NOT NULL,
    locale character varying(5) DEFAULT 'fr'::character varying NOT NULL,
    quantity integer DEFAULT 1 NOT NULL,
    status character varying(12) DEFAULT 'waiting'::character varying NOT NULL,
    offer_token character varying(64) DEFAULT NULL::character varying,
    offer_expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: ticket_waiting_list_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticket_waiting_list_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticket_waiting_list_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticket_waiting_list_id_seq OWNED BY public.ticket_waiting_list.id;


--
-- Name: ticketing_order; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.ticketing_order (
    id integer NOT NULL,
    token character varying(64) DEFAULT ''::character varying NOT NULL,
    event integer,
    buyer_name character varying(200) DEFAULT ''::character varying NOT NULL,
    buyer_email character varying(254) DEFAULT ''::character varying NOT NULL,
    buyer_organisation character varying(200) DEFAULT ''::character varying NOT NULL,
    locale character varying(5) DEFAULT 'fr'::character varying NOT NULL,
    status character varying(20) DEFAULT 'reserved'::character varying NOT NULL,
    source character varying(10) DEFAULT 'public'::character varying NOT NULL,
    approval_requested boolean DEFAULT false NOT NULL,
    approval_note text DEFAULT ''::text NOT NULL,
    total_ht_cents integer DEFAULT 0 NOT NULL,
    total_vat_cents integer DEFAULT 0 NOT NULL,
    total_ttc_cents integer DEFAULT 0 NOT NULL,
    refunded_cents integer DEFAULT 0 NOT NULL,
    expires_at timestamp with time zone,
    payment_intent_id character varying(100) DEFAULT NULL::character varying,
    stripe_refund_id character varying(100) DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    paid_at timestamp with time zone,
    confirmed_at timestamp with time zone,
    cancelled_at timestamp with time zone,
    client_ip_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    payment_method character varying(12) DEFAULT ''::character varying NOT NULL
);


--
-- Name: ticketing_order_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.ticketing_order_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: ticketing_order_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.ticketing_order_id_seq OWNED BY public.ticketing_order.id;


--
-- Name: venue; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.venue (
    id integer NOT NULL,
    name character varying(200) DEFAULT ''::character varying NOT NULL,
    address character varying(300) DEFAULT ''::character varying NOT NULL,
    postal_code character varying(10) DEFAULT ''::character varying NOT NULL,
    city character varying(100) DEFAULT ''::character varying NOT NULL
);


--
-- Name: venue_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.venue_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: venue_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.venue_id_seq OWNED BY public.venue.id;


--
-- Name: web_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.web_session (
    id integer NOT NULL,
    key_hash character varying(64) DEFAULT ''::character varying NOT NULL,
    staff_user integer,
    attendee_email character varying(254) DEFAULT NULL::character varying,
    user_agent character varying(200) DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_seen_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    expires_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: web_session_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.web_session_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: web_session_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.web_session_id_seq OWNED BY public.web_session.id;


--
-- Name: checkin id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin ALTER COLUMN id SET DEFAULT nextval('public.checkin_id_seq'::regclass);


--
-- Name: checkin_device id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin_device ALTER COLUMN id SET DEFAULT nextval('public.checkin_device_id_seq'::regclass);


--
-- Name: event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event ALTER COLUMN id SET DEFAULT nextval('public.event_id_seq'::regclass);


--
-- Name: event_session id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_session ALTER COLUMN id SET DEFAULT nextval('public.event_session_id_seq'::regclass);


--
-- Name: login_link id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_link ALTER COLUMN id SET DEFAULT nextval('public.login_link_id_seq'::regclass);


--
-- Name: meeting id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting ALTER COLUMN id SET DEFAULT nextval('public.meeting_id_seq'::regclass);


--
-- Name: meeting_commission id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_commission ALTER COLUMN id SET DEFAULT nextval('public.meeting_commission_id_seq'::regclass);


--
-- Name: meeting_day id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_day ALTER COLUMN id SET DEFAULT nextval('public.meeting_day_id_seq'::regclass);


--
-- Name: meeting_decline id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_decline ALTER COLUMN id SET DEFAULT nextval('public.meeting_decline_id_seq'::regclass);


--
-- Name: meeting_participant id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_participant ALTER COLUMN id SET DEFAULT nextval('public.meeting_participant_id_seq'::regclass);


--
-- Name: meeting_programme id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_programme ALTER COLUMN id SET DEFAULT nextval('public.meeting_programme_id_seq'::regclass);


--
-- Name: meeting_report id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_report ALTER COLUMN id SET DEFAULT nextval('public.meeting_report_id_seq'::regclass);


--
-- Name: meeting_run id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_run ALTER COLUMN id SET DEFAULT nextval('public.meeting_run_id_seq'::regclass);


--
-- Name: meeting_unavailability id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_unavailability ALTER COLUMN id SET DEFAULT nextval('public.meeting_unavailability_id_seq'::regclass);


--
-- Name: meeting_unmet_wish id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_unmet_wish ALTER COLUMN id SET DEFAULT nextval('public.meeting_unmet_wish_id_seq'::regclass);


--
-- Name: meeting_wish id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_wish ALTER COLUMN id SET DEFAULT nextval('public.meeting_wish_id_seq'::regclass);


--
-- Name: membership_year id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership_year ALTER COLUMN id SET DEFAULT nextval('public.membership_year_id_seq'::regclass);


--
-- Name: migration id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.migration ALTER COLUMN id SET DEFAULT nextval('public.migration_id_seq'::regclass);


--
-- Name: organisation id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation ALTER COLUMN id SET DEFAULT nextval('public.organisation_id_seq'::regclass);


--
-- Name: outbox_job id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox_job ALTER COLUMN id SET DEFAULT nextval('public.outbox_job_id_seq'::regclass);


--
-- Name: person id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person ALTER COLUMN id SET DEFAULT nextval('public.person_id_seq'::regclass);


--
-- Name: piccolo_user id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.piccolo_user ALTER COLUMN id SET DEFAULT nextval('public.piccolo_user_id_seq'::regclass);


--
-- Name: rate_limit_hit id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rate_limit_hit ALTER COLUMN id SET DEFAULT nextval('public.rate_limit_hit_id_seq'::regclass);


--
-- Name: room id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.room ALTER COLUMN id SET DEFAULT nextval('public.room_id_seq'::regclass);


--
-- Name: session_person id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_person ALTER COLUMN id SET DEFAULT nextval('public.session_person_id_seq'::regclass);


--
-- Name: sessions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions ALTER COLUMN id SET DEFAULT nextval('public.sessions_id_seq'::regclass);


--
-- Name: staff_user id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_user ALTER COLUMN id SET DEFAULT nextval('public.staff_user_id_seq'::regclass);


--
-- Name: ticket id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket ALTER COLUMN id SET DEFAULT nextval('public.ticket_id_seq'::regclass);


--
-- Name: ticket_credit_note id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_credit_note ALTER COLUMN id SET DEFAULT nextval('public.ticket_credit_note_id_seq'::regclass);


--
-- Name: ticket_document_counter id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_document_counter ALTER COLUMN id SET DEFAULT nextval('public.ticket_document_counter_id_seq'::regclass);


--
-- Name: ticket_event_sales id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_event_sales ALTER COLUMN id SET DEFAULT nextval('public.ticket_event_sales_id_seq'::regclass);


--
-- Name: ticket_invoice id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_invoice ALTER COLUMN id SET DEFAULT nextval('public.ticket_invoice_id_seq'::regclass);


--
-- Name: ticket_member_confirmation id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_member_confirmation ALTER COLUMN id SET DEFAULT nextval('public.ticket_member_confirmation_id_seq'::regclass);


--
-- Name: ticket_stripe_event id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_stripe_event ALTER COLUMN id SET DEFAULT nextval('public.ticket_stripe_event_id_seq'::regclass);


--
-- Name: ticket_type id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_type ALTER COLUMN id SET DEFAULT nextval('public.ticket_type_id_seq'::regclass);


--
-- Name: ticket_waiting_list id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_waiting_list ALTER COLUMN id SET DEFAULT nextval('public.ticket_waiting_list_id_seq'::regclass);


--
-- Name: ticketing_order id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticketing_order ALTER COLUMN id SET DEFAULT nextval('public.ticketing_order_id_seq'::regclass);


--
-- Name: venue id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.venue ALTER COLUMN id SET DEFAULT nextval('public.venue_id_seq'::regclass);


--
-- Name: web_session id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_session ALTER COLUMN id SET DEFAULT nextval('public.web_session_id_seq'::regclass);


--
-- Data for Name: checkin; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.checkin (id, ticket, event, session_key, scan_id, device, door, staff, scanned_at, received_at, status, offline, flag, reviewed_at, reviewed_by, undone_by, undone_at) FROM stdin;
\.


--
-- Data for Name: checkin_device; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.checkin_device (id, event, session, name, door, token_hash, created_by, created_at, revoked_at, last_sync_at, list_synced_at, paired_at, pairing_expires_at, pairing_hash) FROM stdin;
\.


--
-- Data for Name: event; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.event (id, slug, kind, title, title_en, description, description_en, venue, starts_at, ends_at, capacity, status, edition_year, uid, sequence, created_at, updated_at) FROM stdin;
2	le-court-dici-2027	court_dici	Le Court d'Ici 2027 – projection au Marché du Film	Le Court d'Ici 2027 – screening at the Film Market	Cent minutes de courts métrages des adhérents (documentaire, animation, clip, art vidéo) présentés aux acheteurs du Marché du Film du Festival international du court métrage de Clermont-Ferrand : festivals, chaînes de télévision, distributeurs.	One hundred minutes of members' short films (documentary, animation, music video, video art) shown to the buyers of the Film Market of the Clermont-Ferrand International Short Film Festival: festivals, TV channels, distributors.	4	2027-02-03 13:00:00+00	2027-02-03 14:40:00+00	120	published	2027	94171d0e337b4f349814acb869e20ed3	12	2026-12-01 15:11:42.799925+00	2026-12-01 15:11:43.200528+00
4	cles-pour-reussir-valoriser-son-stand-2027	cles	Les Clés pour réussir : valoriser son stand sur un salon	Keys to success: making the most of a trade-fair stand	Un après-midi pour préparer un salon professionnel : objectifs, prise de rendez-vous, scénographie du stand et suivi des contacts. Gratuit pour les adhérents, 20 € HT pour les non-adhérents.	An afternoon to get ready for a trade fair: goals, booking meetings, stand design and following up contacts. Free for members, EUR 20 excl. VAT for non-members.	3	2027-06-08 12:00:00+00	2027-06-08 15:30:00+00	30	published	2027	3bfd095e940e483aaf7a046d102f6b27	3	2026-12-01 15:11:43.784369+00	2026-12-01 15:11:43.908883+00
1	mima-2027	mima	MIMA 2027 – Marché de l'Image et de la Musique en Auvergne	MIMA 2027 – Auvergne Image and Music Market	Le rendez-vous annuel des professionnels de la musique et de l'image en Auvergne : salon des exposants avec les stands des adhérents, showcases et projections, speed-meeting entre producteurs et diffuseurs, tables rondes et moments de réseau.\n\nPour les salles, festivals, médiathèques, entreprises, collectivités et offices de tourisme, ainsi que les programmateurs régionaux et nationaux.	The yearly meeting of music and image professionals in Auvergne: a fair with members' stands, showcases and screenings, a speed-meeting between producers and buyers, round tables and networking.\n\nFor venues, festivals, media libraries, companies, local authorities and tourist offices, and regional and national programmers.	1	2027-10-14 07:00:00+00	2027-10-15 16:30:00+00	350	published	2027	a78330163b8c49678b507dc96e2ce777	32	2026-12-01 15:11:41.888594+00	2026-12-01 15:11:42.587489+00
8	rencontre-ia-industries-creatives-2027	thematic_meeting	Rencontre thématique : l'IA dans les industries créatives	Thematic meeting: AI in the creative industries	Retours d'expérience et enjeux juridiques de l'IA générative.	Case studies and legal issues of generative AI.	3	2027-01-21 13:00:00+00	2027-01-21 16:00:00+00	40	cancelled	2027	2f98d1da5c7b4396a578bcdcb31e117d	0	2026-12-01 15:11:44.963066+00	2026-12-01 15:11:44.963066+00
3	cles-pour-reussir-lever-des-fonds-2027	cles	Les Clés pour réussir : lever des fonds	Keys to success: raising funds	Une matinée d'outils concrets : financement participatif, mécénat, prêts d'honneur et subventions. Gratuit pour les adhérents, 20 € HT pour les non-adhérents.	A morning of ready-to-use tools: crowdfunding, sponsorship, honour loans and grants. Free for members, EUR 20 excl. VAT for non-members.	3	2027-03-09 08:00:00+00	2027-03-09 11:30:00+00	30	published	2027	d0e51f7f38b1403390b3cff66e01610c	4	2026-12-01 15:11:43.384978+00	2026-12-01 15:11:43.493145+00
5	culture-experience-days-2027	ced	Culture Experience Days 2027	Culture Experience Days 2027	Un week-end créatif en forme de hackathon : artistes, chercheurs, techniciens et développeurs prototypent en trois jours des solutions concrètes sur le thème « nouvelles interactions entre publics et artistes ». Soirée de lancement la veille.\n\nUn jury sélectionne un ou deux projets que le cluster accompagne ensuite.	A creative weekend in hackathon form: artists, researchers, technicians and developers prototype concrete solutions in three days on the theme “new audience/artist interactions”. Launch evening the day before.\n\nA jury selects one or two projects that the cluster then accompanies.	2	2027-04-22 16:30:00+00	2027-04-25 16:00:00+00	80	published	2027	dab73ae7e568490a884d61f21b05fd3b	16	2026-12-01 15:11:44.213531+00	2026-12-01 15:11:44.675619+00
9	petit-dejeuner-adherents-2027-01	breakfast	Petit-déjeuner des adhérents – janvier 2027	Members' breakfast – January 2027	Échanges informels autour d'un café.	Informal chat over coffee.	3	2027-01-14 07:30:00+00	2027-01-14 09:00:00+00	30	draft	2027	c728db05a65a42f2ad56bc02eda764bc	0	2026-12-01 15:11:44.991657+00	2026-12-01 15:11:44.991657+00
6	assemblee-generale-2027	general_assembly	Assemblée générale 2027	General Assembly 2027	Rapport moral et financier, bilan des projets collaboratifs, élection du conseil d'administration, puis moment convivial entre adhérents.	Annual and financial reports, review of the collaborative projects, election of the board, then drinks with the members.	3	2027-05-27 15:00:00+00	2027-05-27 18:00:00+00	80	published	2027	76c3de12855248069eb34ec318b80f21	2	2026-12-01 15:11:44.85788+00	2026-12-01 15:11:44.91181+00
7	apero-projet-2026	apero_projet	Apéro-projet de rentrée 2026	Back-to-work project drinks 2026	Les adhérents présentent leurs idées de projets collaboratifs pour l'année.	Members pitch their collaborative project ideas for the year.	3	2026-09-17 16:00:00+00	2026-09-17 18:30:00+00	60	published	2026	9353b5373cda443e9d3add6cc6497108	0	2026-12-01 15:11:44.932561+00	2026-12-01 15:11:44.932561+00
\.


--
-- Data for Name: event_session; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.event_session (id, event, room, kind, title, title_en, description, description_en, starts_at, ends_at, uid, sequence, cancelled) FROM stdin;
1	1	2	networking	Accueil café et ouverture du salon des exposants	Welcome coffee and opening of the fair	Les stands des adhérents ouvrent leurs portes.	Members' stands open.	2027-10-14 07:00:00+00	2027-10-14 07:45:00+00	213a484447524bfa82dc6f4ba0d55b8a	0	f
21	3	8	workshop	Subventions et prêts d'honneur : monter son dossier	Grants and honour loans: building your case			2027-03-09 09:45:00+00	2027-03-09 11:30:00+00	49dd917966044d9b9599b8b1d4d0549c	1	f
10	1	1	screening	Projection : documentaires de création	Screening: creative documentaries			2027-10-15 09:00:00+00	2027-10-15 10:30:00+00	54362b269eeb48c68d5012a22b9ca72c	2	f
2	1	3	round_table	Table ronde : diffuser les musiques actuelles en milieu rural	Round table: touring popular music in rural areas	Comment les salles, festivals et médiathèques du territoire construisent-ils leur programmation ?	How do the region's venues, festivals and media libraries build their programmes?	2027-10-14 07:45:00+00	2027-10-14 09:15:00+00	02c1a1d464eb47a58ce7040669d6c6ad	4	f
11	1	4	speed_meeting	Speed-meeting producteurs / diffuseurs (2e session)	Producers / buyers speed-meeting (part 2)			2027-10-15 12:00:00+00	2027-10-15 14:30:00+00	662b829484a34942a2b51dfe48f8d0b6	0	f
3	1	1	showcase	Showcase : Collectif Basalte	Showcase: Collectif Basalte	Jazz et musiques improvisées.	Jazz and improvised music.	2027-10-14 09:30:00+00	2027-10-14 10:00:00+00	76fbe11b2ae44bba86a1affb403cd8df	2	f
4	1	1	showcase	Showcase : les artistes de Label Volcanique	Showcase: Label Volcanique's artists	Rock et électro auvergnats.	Rock and electro from Auvergne.	2027-10-14 10:00:00+00	2027-10-14 10:30:00+00	69dd6855b9a34e8e87ba5890314e4664	1	f
5	1	4	speed_meeting	Speed-meeting producteurs / diffuseurs (1re session)	Producers / buyers speed-meeting (part 1)	Rendez-vous de 10 minutes réservés à l'avance entre producteurs adhérents et diffuseurs.	10-minute meetings booked in advance between member producers and buyers.	2027-10-14 12:00:00+00	2027-10-14 15:00:00+00	f7731256babf4d3e81ef1c1ecee71434	0	f
6	1	1	screening	Projection : clips et courts métrages des adhérents	Screening: members' music videos and short films	Une sélection de clips, films d'animation et d'art vidéo produits en Auvergne.	A selection of music videos, animation and video art made in Auvergne.	2027-10-14 12:00:00+00	2027-10-14 13:30:00+00	8ab112a9a1d3423a9e7cf19bf89be0f2	3	f
7	1	1	showcase	Showcase : Arverne Booking présente ses artistes	Showcase: Arverne Booking's artists			2027-10-14 13:45:00+00	2027-10-14 14:15:00+00	c6f93ed42a734e7a9cadeaab3330595f	1	f
8	1	2	networking	Apéro réseau des exposants	Exhibitors' networking drinks			2027-10-14 15:30:00+00	2027-10-14 17:30:00+00	e1917920b58f4cb7a2ccbd4b65dd49bd	0	f
26	5	6	hackathon_phase	Phase 2 : prototypage (suite)	Phase 2: prototyping (continued)			2027-04-24 07:00:00+00	2027-04-24 10:00:00+00	5fdfd565cdfc46a4a4cabad759dbd1d2	0	f
12	1	3	round_table	Table ronde : financer ses projets, de la Région à Europe Créative	Round table: funding your projects, from the Region to Creative Europe			2027-10-15 12:00:00+00	2027-10-15 13:30:00+00	11d5b0f58502436fbc1074f168003128	3	f
9	1	3	round_table	Table ronde : musique à l'image, synchronisation et droits	Round table: music for picture, sync and rights	Éditeurs, producteurs et réalisateurs partagent leurs pratiques de synchronisation.	Publishers, producers and directors share how they work with sync.	2027-10-15 07:30:00+00	2027-10-15 09:00:00+00	9d6cc14a871b46e8bb5b041d4bf7d180	3	f
13	1	2	networking	Clôture et verre de l'amitié	Closing drinks			2027-10-15 14:45:00+00	2027-10-15 16:30:00+00	55404780b1ac410b858f4340502bb557	0	f
14	2	10	screening	« Basalte », documentaire	“Basalte”, documentary			2027-02-03 13:00:00+00	2027-02-03 13:18:00+00	9fe8721100ae419fad8fbbdf38656821	1	f
15	2	10	screening	« La Fabrique à nuages », animation	“The Cloud Factory”, animation			2027-02-03 13:18:00+00	2027-02-03 13:32:00+00	3b5abc8bc98f46dfb0bc1e580bd79afc	1	f
16	2	10	screening	« Nuit Arverne », clip	“Arvernian Night”, music video			2027-02-03 13:32:00+00	2027-02-03 13:37:00+00	654ba11c4d014c3d9ceee328602bc4ba	1	f
17	2	10	screening	« Les Gardiens du puy », documentaire	“Guardians of the Puy”, documentary			2027-02-03 13:37:00+00	2027-02-03 13:59:00+00	07f289acf1994ba3ae1fc2ea751c0078	1	f
18	2	10	screening	« Lignes de fuite », art vidéo	“Vanishing Lines”, video art			2027-02-03 13:59:00+00	2027-02-03 14:11:00+00	1be097def94244d786911eb0dcbd90ec	1	f
19	2	10	screening	« Le Dernier Bal », fiction	“The Last Dance”, fiction			2027-02-03 14:11:00+00	2027-02-03 14:40:00+00	2635949069324d5ab75828a7f5298850	1	f
20	3	8	workshop	Financement participatif et mécénat	Crowdfunding and sponsorship			2027-03-09 08:00:00+00	2027-03-09 09:30:00+00	019bfa22254d4c4f8627a48bd54ac646	1	f
22	4	8	workshop	Atelier : préparer, animer et suivre son stand	Workshop: prepare, run and follow up your stand			2027-06-08 12:00:00+00	2027-06-08 15:30:00+00	7499a3b303914810b3176c2e9930b00f	2	f
23	5	5	networking	Soirée de lancement : présentation des défis	Launch evening: the challenges	Présentation du thème, des défis et des mentors ; constitution des équipes.	The theme, challenges and mentors; teams get together.	2027-04-22 16:30:00+00	2027-04-22 19:30:00+00	1a713143d7814f069e61ade000e8d770	2	f
24	5	6	hackathon_phase	Phase 1 : idéation	Phase 1: ideation			2027-04-23 07:00:00+00	2027-04-23 10:30:00+00	c356a079e17e44e2bb4ff27a37740f23	0	f
25	5	6	hackathon_phase	Phase 2 : prototypage	Phase 2: prototyping			2027-04-23 12:00:00+00	2027-04-23 18:00:00+00	95e42b4c5c274c2486e3830ac80b42a3	1	f
30	5	5	hackathon_phase	Présentations devant le jury	Pitches to the jury			2027-04-25 12:00:00+00	2027-04-25 14:30:00+00	2d42d6d6320041a2954df1fa4e23a711	2	f
27	5	5	workshop	Point d'étape avec les mentors	Check-in with the mentors			2027-04-24 12:00:00+00	2027-04-24 13:00:00+00	55f37a397239464690918e6911e611b8	2	f
28	5	6	hackathon_phase	Phase 2 : tests avec le public	Phase 2: testing with an audience			2027-04-24 13:00:00+00	2027-04-24 18:00:00+00	765df3d0eabc49b69f3488ee25174866	0	f
29	5	6	hackathon_phase	Phase 3 : finalisation des prototypes	Phase 3: finishing the prototypes			2027-04-25 07:00:00+00	2027-04-25 11:00:00+00	68e0ed81667748e89c4a2eae7cdf8d46	0	f
33	6	9	networking	Apéritif des adhérents	Members' drinks			2027-05-27 16:45:00+00	2027-05-27 18:00:00+00	2178753957614a2ca845254dddf204e4	0	f
31	5	5	networking	Annonce des projets lauréats	Announcement of the selected projects			2027-04-25 15:00:00+00	2027-04-25 16:00:00+00	c8d754e0cd8344b49f0094c4c47ef39e	0	f
32	6	9	talk	Assemblée générale statutaire	Statutory general assembly			2027-05-27 15:00:00+00	2027-05-27 16:45:00+00	623facb229394648a91688b27d96b436	0	f
\.


--
-- Data for Name: login_link; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.login_link (id, token_hash, email, next_url, locale, created_at, expires_at, used_at, staff_user) FROM stdin;
\.


--
-- Data for Name: meeting; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting (id, programme, producer, buyer, starts_at, ends_at, table_number, pinned, published, uid, sequence, created_at) FROM stdin;
\.


--
-- Data for Name: meeting_commission; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_commission (id, programme, meeting, organisation, deal_nature, amount_cents, rate_bp, commission_cents, status, confirmed_at, created_at) FROM stdin;
\.


--
-- Data for Name: meeting_day; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_day (id, programme, starts_at, ends_at, breaks) FROM stdin;
1	1	2027-10-14 12:00:00+00	2027-10-14 15:00:00+00	[["2027-10-14T13:20:00+00:00", "2027-10-14T13:40:00+00:00"]]
2	1	2027-10-15 12:00:00+00	2027-10-15 14:30:00+00	[["2027-10-15T13:20:00+00:00", "2027-10-15T13:40:00+00:00"]]
\.


--
-- Data for Name: meeting_decline; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_decline (id, source, target) FROM stdin;
\.


--
-- Data for Name: meeting_participant; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_participant (id, programme, person, side, organisation_name, role, offer, looking_for, genres, formats, audiences, territory, needs_accessible, max_meetings, late, agenda_digest, created_at) FROM stdin;
1	1	1	producer	Label Volcanique	Directrice artistique	Deux groupes rock-électro du label en tournée 2028.		rock, électro	concert	tout public, jeunes adultes	Auvergne-Rhône-Alpes	f	\N	f		2026-12-01 15:11:45.108281+00
2	1	3	producer	Puy de Sons Productions	Producteur	Spectacle chanson jeune public, 45 minutes, autonome techniquement.		chanson	concert, jeune public	familles, scolaires	France	f	\N	f		2026-12-01 15:11:45.129155+00
3	1	4	producer	Arverne Booking	Bookeuse	Catalogue de tournée : hip-hop, pop et musiques du monde.		hip-hop, pop, musiques du monde	concert, festival	jeunes adultes	France	f	\N	f		2026-12-01 15:11:45.151808+00
4	1	6	producer	Éditions Musicales du Dôme	Éditrice	Catalogue d'œuvres pour la synchronisation à l'image.		pop, musique à l'image	synchronisation	professionnels	Europe	f	\N	f		2026-12-01 15:11:45.176664+00
5	1	8	producer	Collectif Basalte	Saxophoniste	Quartet jazz et ciné-concert sur films muets.		jazz, musiques improvisées	concert, ciné-concert	tout public	Auvergne-Rhône-Alpes	f	\N	f		2026-12-01 15:11:45.202166+00
6	1	11	producer	Volcans Films	Producteur	Documentaire 52 minutes sur les volcans d'Auvergne, diffusion 2028.		documentaire	projection, télévision	tout public	France	f	\N	f		2026-12-01 15:11:45.225108+00
7	1	13	producer	Atelier Animation Auvergne	Réalisatrice	Programme de courts métrages d'animation en stop-motion.		animation	projection, atelier	jeune public, scolaires	France	f	\N	f		2026-12-01 15:11:45.253625+00
8	1	14	producer	Clip & Cadre	Réalisateur	Clips et captations live pour salles et festivals.		clip, captation	vidéo	professionnels	Auvergne-Rhône-Alpes	f	\N	f		2026-12-01 15:11:45.278522+00
9	1	15	producer	Documentaires du Massif	Productrice	Documentaires de création sur les territoires ruraux.		documentaire	projection, débat	tout public, seniors	Massif central	f	\N	f		2026-12-01 15:11:45.304797+00
10	1	16	producer	Motion Sancy	Artiste vidéo	Installation vidéo immersive pour lieux patrimoniaux.		art vidéo, arts numériques	installation, exposition	tout public	Europe	f	\N	f		2026-12-01 15:11:45.328357+00
11	1	26	buyer	Scène nationale	Programmatrice		Concerts et ciné-concerts pour la saison 2028-2029.	jazz, chanson, rock	concert, ciné-concert	tout public	Auvergne-Rhône-Alpes	f	\N	f		2026-12-01 15:11:45.358958+00
12	1	27	buyer	Réseau des médiathèques	Responsable musique		Petites formes, projections et ateliers en médiathèque.	documentaire, chanson, animation	projection, atelier	familles, seniors	Puy-de-Dôme	f	\N	f		2026-12-01 15:11:45.383275+00
13	1	10	buyer	Festival Nuits Arvernes	Programmatrice		Têtes d'affiche régionales et découvertes pour l'été.	rock, électro, hip-hop	concert, festival	jeunes adultes	Auvergne-Rhône-Alpes	f	\N	f		2026-12-01 15:11:45.411057+00
14	1	24	buyer	Ville de Cébazat – Service culturel	Directrice des affaires culturelles		Programmation du Sémaphore et actions jeune public.	chanson, jazz, animation	concert, jeune public, projection	familles, scolaires	Cébazat	f	\N	f		2026-12-01 15:11:45.431898+00
15	1	28	buyer	La Coopérative de Mai	Programmateur		Groupes rock, électro et hip-hop émergents.	rock, électro, hip-hop	concert	jeunes adultes	Auvergne-Rhône-Alpes	f	\N	f		2026-12-01 15:11:45.454983+00
16	1	29	buyer	Festival Jazz des Volcans	Directrice artistique		Jazz et musiques improvisées, créations.	jazz, musiques improvisées	concert, festival	tout public	France	f	\N	f		2026-12-01 15:11:45.475785+00
17	1	30	buyer	Cinéma art et essai Le Rio	Programmateur		Documentaires et courts métrages avec débats.	documentaire, animation	projection, débat	tout public	Puy-de-Dôme	f	\N	f		2026-12-01 15:11:45.499062+00
18	1	31	buyer	Télé Auvergne	Chargée des programmes		Documentaires régionaux et captations de concerts.	documentaire, captation	télévision, vidéo	tout public	Auvergne-Rhône-Alpes	f	\N	f		2026-12-01 15:11:45.524027+00
19	1	32	buyer	Conseil départemental – Culture	Chargé de mission spectacle vivant		Tournées en milieu rural, formes légères.	chanson, musiques du monde, jazz	concert, jeune public	familles, seniors	Massif central	t	\N	f		2026-12-01 15:11:45.556696+00
20	1	33	buyer	Agence Sync Image	Superviseuse musicale		Musiques pour publicités, séries et jeux vidéo.	pop, électro, musique à l'image	synchronisation	professionnels	Europe	f	\N	f		2026-12-01 15:11:45.582601+00
21	1	34	buyer	Musée des arts numériques	Responsable des expositions		Installations immersives et art vidéo.	art vidéo, arts numériques	installation, exposition	tout public	Europe	f	\N	f		2026-12-01 15:11:45.617731+00
\.


--
-- Data for Name: meeting_programme; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_programme (id, event, status, wishes_open_at, wishes_close_at, publish_at, meeting_minutes, max_meetings, wish_limit, tables, reserved_tables, accessible_tables, commission_rate_bp, published_at, created_at, fairness_budget_bp) FROM stdin;
1	1	wishes_open	\N	2027-10-01 21:59:00+00	\N	20	6	8	12	0	1	1000	\N	2026-12-01 15:11:45.043391+00	100
\.


--
-- Data for Name: meeting_report; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_report (id, meeting, participant, took_place, deal, deal_nature, amount_cents, created_at) FROM stdin;
\.


--
-- Data for Name: meeting_run; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_run (id, programme, kind, status, meetings, total_weight, min_share, seconds, created_at, best_total_weight, fairness_budget_bp) FROM stdin;
\.


--
-- Data for Name: meeting_unavailability; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_unavailability (id, participant, starts_at, ends_at, note) FROM stdin;
\.


--
-- Data for Name: meeting_unmet_wish; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_unmet_wish (id, run, source, target, priority, reason) FROM stdin;
\.


--
-- Data for Name: meeting_wish; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meeting_wish (id, source, target, priority, created_at) FROM stdin;
1	1	13	3	2026-12-01 15:11:45.656701+00
2	1	15	3	2026-12-01 15:11:45.690545+00
3	1	20	1	2026-12-01 15:11:45.721957+00
4	2	14	3	2026-12-01 15:11:45.770404+00
5	2	19	2	2026-12-01 15:11:45.808583+00
6	2	12	2	2026-12-01 15:11:45.843362+00
7	3	13	3	2026-12-01 15:11:45.86844+00
8	3	15	2	2026-12-01 15:11:45.894492+00
9	3	19	2	2026-12-01 15:11:45.917398+00
10	4	20	3	2026-12-01 15:11:45.941462+00
11	4	18	1	2026-12-01 15:11:45.971553+00
12	5	16	3	2026-12-01 15:11:45.992875+00
13	5	11	3	2026-12-01 15:11:46.012375+00
14	5	14	1	2026-12-01 15:11:46.033275+00
15	6	18	3	2026-12-01 15:11:46.055174+00
16	6	17	2	2026-12-01 15:11:46.07211+00
17	7	12	3	2026-12-01 15:11:46.094905+00
18	7	14	2	2026-12-01 15:11:46.112239+00
19	7	17	2	2026-12-01 15:11:46.134381+00
20	8	18	2	2026-12-01 15:11:46.159351+00
21	8	13	1	2026-12-01 15:11:46.17915+00
22	9	17	3	2026-12-01 15:11:46.211194+00
23	9	12	2	2026-12-01 15:11:46.238506+00
24	9	19	1	2026-12-01 15:11:46.270857+00
25	10	21	3	2026-12-01 15:11:46.294732+00
26	10	20	1	2026-12-01 15:11:46.318265+00
27	11	5	3	2026-12-01 15:11:46.340339+00
28	11	2	2	2026-12-01 15:11:46.361174+00
29	12	7	3	2026-12-01 15:11:46.384637+00
30	12	9	2	2026-12-01 15:11:46.402458+00
31	13	1	2	2026-12-01 15:11:46.420525+00
32	13	3	3	2026-12-01 15:11:46.448323+00
33	14	2	3	2026-12-01 15:11:46.467925+00
34	14	7	2	2026-12-01 15:11:46.489405+00
35	15	1	3	2026-12-01 15:11:46.517887+00
36	16	5	3	2026-12-01 15:11:46.553012+00
37	17	6	2	2026-12-01 15:11:46.579108+00
38	17	9	3	2026-12-01 15:11:46.599561+00
39	18	6	3	2026-12-01 15:11:46.623495+00
40	18	8	2	2026-12-01 15:11:46.654141+00
41	19	3	2	2026-12-01 15:11:46.685358+00
42	19	2	2	2026-12-01 15:11:46.706471+00
43	20	4	3	2026-12-01 15:11:46.736766+00
44	20	1	1	2026-12-01 15:11:46.754386+00
45	21	10	3	2026-12-01 15:11:46.776796+00
\.


--
-- Data for Name: membership_year; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.membership_year (id, organisation, year, dues_cents, paid_on) FROM stdin;
1	1	2025	22000	2025-02-15
2	1	2026	22000	2026-02-15
3	2	2025	27000	2025-02-15
4	2	2026	27000	2026-02-15
5	3	2025	31000	2025-02-15
6	3	2026	31000	2026-02-15
7	4	2026	22000	2026-02-15
8	5	2025	27000	2025-02-15
9	5	2026	27000	2026-02-15
10	6	2025	22000	2025-02-15
11	6	2026	22000	2026-02-15
12	7	2025	31000	2025-02-15
13	8	2025	31000	2025-02-15
14	8	2026	31000	2026-02-15
15	9	2025	27000	2025-02-15
16	9	2026	27000	2026-02-15
17	10	2026	22000	2026-02-15
18	11	2025	27000	2025-02-15
19	11	2026	27000	2026-02-15
20	12	2025	22000	2025-02-15
21	12	2026	22000	2026-02-15
22	13	2025	35000	2025-02-15
23	13	2026	35000	2026-02-15
24	14	2026	31000	2026-02-15
25	15	2025	22000	2025-02-15
26	15	2026	22000	2026-02-15
27	16	2025	27000	2025-02-15
28	17	2025	35000	2025-02-15
29	17	2026	35000	2026-02-15
30	18	2026	31000	2026-02-15
31	19	2025	35000	2025-02-15
32	19	2026	35000	2026-02-15
33	20	2025	35000	2025-02-15
34	20	2026	35000	2026-02-15
\.


--
-- Data for Name: migration; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.migration (id, name, app_name, ran_on) FROM stdin;
1	2026-11-25T09:02:29:307880	core	2026-12-01 15:11:39.734957
2	2026-11-25T09:02:30:575446	accounts	2026-12-01 15:11:39.766505
3	2026-12-01T11:22:32:279776	accounts	2026-12-01 15:11:39.789418
4	2026-11-25T09:02:31:884411	events	2026-12-01 15:11:39.854331
5	2019-11-12T20:47:17	session_auth	2026-12-01 15:11:39.879573
6	2026-05-27T16:15:06:677127	session_auth	2026-12-01 15:11:39.887589
7	2019-11-14T21:52:21	user	2026-12-01 15:11:39.930817
8	2020-06-11T21:38:55	user	2026-12-01 15:11:39.943027
9	2021-04-30T16:14:15	user	2026-12-01 15:11:39.958714
10	2026-11-25T09:12:22:370234	ticketing	2026-12-01 15:11:40.104917
11	2026-12-01T11:19:49:644389	ticketing	2026-12-01 15:11:40.126183
12	2026-11-25T09:29:08:854089	scheduling	2026-12-01 15:11:40.193254
13	2026-11-25T11:44:13:268344	scheduling	2026-12-01 15:11:40.216056
14	2026-11-25T12:31:52:360089	scheduling	2026-12-01 15:11:40.240267
15	2026-11-25T09:22:15:463090	checkin	2026-12-01 15:11:40.311257
16	2026-11-25T09:22:16:000000	checkin	2026-12-01 15:11:40.323576
17	2026-11-25T10:11:10:881084	checkin	2026-12-01 15:11:40.354524
18	2026-11-25T12:20:00:000000	checkin	2026-12-01 15:11:40.370531
19	2026-12-01T11:23:33:294798	checkin	2026-12-01 15:11:40.387999
20	2026-12-01T11:23:34:000000	checkin	2026-12-01 15:11:40.410306
\.


--
-- Data for Name: organisation; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.organisation (id, name, college, revenue_band, email, email_domain, city, website, description, created_at) FROM stdin;
1	Label Volcanique	1	lt20k	contact@label-volcanique.example	label-volcanique.example	Clermont-Ferrand	https://www.label-volcanique.example	Label indépendant de rock et d'électro auvergnat.	2026-12-01 15:11:41.139319+00
2	Puy de Sons Productions	1	20k-60k	contact@puydesons.example	puydesons.example	Clermont-Ferrand	https://www.puydesons.example	Production de spectacles et accompagnement d'artistes.	2026-12-01 15:11:41.185283+00
3	Arverne Booking	1	60k-250k	contact@arverne-booking.example	arverne-booking.example	Riom	https://www.arverne-booking.example	Agence de tournées pour les musiques actuelles.	2026-12-01 15:11:41.215337+00
4	Éditions Musicales du Dôme	1	lt20k	contact@editions-dome.example	editions-dome.example	Clermont-Ferrand	https://www.editions-dome.example	Édition musicale et synchronisation à l'image.	2026-12-01 15:11:41.250408+00
5	Studio Gergovie	1	20k-60k	contact@studio-gergovie.example	studio-gergovie.example	La Roche-Blanche	https://www.studio-gergovie.example	Studio d'enregistrement, de mixage et de mastering.	2026-12-01 15:11:41.268035+00
6	Collectif Basalte	1	lt20k	contact@collectif-basalte.example	collectif-basalte.example	Clermont-Ferrand	https://www.collectif-basalte.example	Collectif de musiciens jazz et musiques improvisées.	2026-12-01 15:11:41.292231+00
7	Festival Nuits Arvernes	1	60k-250k	contact@nuits-arvernes.example	nuits-arvernes.example	Volvic	https://www.nuits-arvernes.example	Festival d'été de musiques actuelles.	2026-12-01 15:11:41.324585+00
8	Volcans Films	2	60k-250k	contact@volcans-films.example	volcans-films.example	Clermont-Ferrand	https://www.volcans-films.example	Production de documentaires et de fictions courtes.	2026-12-01 15:11:41.347996+00
9	Atelier Animation Auvergne	2	20k-60k	contact@atelier-animation.example	atelier-animation.example	Aurillac	https://www.atelier-animation.example	Studio de films d'animation en stop-motion et 2D.	2026-12-01 15:11:41.376807+00
10	Clip & Cadre	2	lt20k	contact@clip-cadre.example	clip-cadre.example	Clermont-Ferrand	https://www.clip-cadre.example	Réalisation de clips musicaux et de captations live.	2026-12-01 15:11:41.399488+00
11	Documentaires du Massif	2	20k-60k	contact@docs-massif.example	docs-massif.example	Le Puy-en-Velay	https://www.docs-massif.example	Documentaires de création sur les territoires.	2026-12-01 15:11:41.419111+00
12	Motion Sancy	2	lt20k	contact@motion-sancy.example	motion-sancy.example	Le Mont-Dore	https://www.motion-sancy.example	Motion design et art vidéo.	2026-12-01 15:11:41.455117+00
13	Lumière Scène Technique	3	gt250k	contact@lumiere-scene.example	lumiere-scene.example	Cébazat	https://www.lumiere-scene.example	Location et régie son, lumière et vidéo pour le spectacle.	2026-12-01 15:11:41.480085+00
14	Son & Régie Auvergne	3	60k-250k	contact@son-regie.example	son-regie.example	Cournon-d'Auvergne	https://www.son-regie.example	Prestations techniques pour festivals et salles.	2026-12-01 15:11:41.505156+00
15	Atelier Graphique Pavin	3	lt20k	contact@graphique-pavin.example	graphique-pavin.example	Besse	https://www.graphique-pavin.example	Design graphique et identités visuelles pour la culture.	2026-12-01 15:11:41.526651+00
16	Comm'Arverne	3	20k-60k	contact@commarverne.example	commarverne.example	Clermont-Ferrand	https://www.commarverne.example	Agence de communication et relations presse culturelles.	2026-12-01 15:11:41.559426+00
17	Institut Supérieur de l'Image et du Son	4	gt250k	contact@isis-auvergne.example	isis-auvergne.example	Clermont-Ferrand	https://www.isis-auvergne.example	Formations supérieures aux métiers de l'image et du son.	2026-12-01 15:11:41.582692+00
18	Laboratoire Arts & Usages Numériques	4	60k-250k	contact@lab-aun.example	lab-aun.example	Clermont-Ferrand	https://www.lab-aun.example	Recherche sur les interactions entre publics et artistes.	2026-12-01 15:11:41.620592+00
19	Ville de Cébazat – Service culturel	5	gt250k	contact@culture-cebazat.example	culture-cebazat.example	Cébazat	https://www.culture-cebazat.example	Service culturel municipal, gestionnaire du Sémaphore.	2026-12-01 15:11:41.639007+00
20	Agence Culturelle Auvergne Volcans	5	gt250k	contact@agence-culturelle.example	agence-culturelle.example	Clermont-Ferrand	https://www.agence-culturelle.example	Agence publique d'appui aux filières culturelles.	2026-12-01 15:11:41.662794+00
\.


--
-- Data for Name: outbox_job; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.outbox_job (id, actor, payload, dedup_key, status, attempts, max_attempts, last_error, created_at, dispatched_at, started_at, finished_at) FROM stdin;
\.


--
-- Data for Name: person; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.person (id, first_name, last_name, email, organisation, role, phone, locale, created_at) FROM stdin;
1	Camille	Roux	camille.roux@label-volcanique.example	1	Directrice artistique		fr	2026-12-01 15:11:41.173805+00
2	Hugo	Fabre	hugo.fabre@label-volcanique.example	1	Chargé de production		fr	2026-12-01 15:11:41.18002+00
3	Julien	Bernard	julien.bernard@puydesons.example	2	Producteur		fr	2026-12-01 15:11:41.202705+00
4	Sophie	Martin	sophie.martin@arverne-booking.example	3	Bookeuse		fr	2026-12-01 15:11:41.235147+00
5	Nicolas	Chabrier	nicolas.chabrier@arverne-booking.example	3	Gérant		fr	2026-12-01 15:11:41.240844+00
6	Claire	Vidal	claire.vidal@editions-dome.example	4	Éditrice		fr	2026-12-01 15:11:41.262726+00
7	Thomas	Aubert	thomas.aubert@studio-gergovie.example	5	Ingénieur du son		fr	2026-12-01 15:11:41.286802+00
8	Léa	Morel	lea.morel@collectif-basalte.example	6	Saxophoniste		fr	2026-12-01 15:11:41.312721+00
9	Yanis	Benali	yanis.benali@collectif-basalte.example	6	Batteur		fr	2026-12-01 15:11:41.31909+00
10	Élodie	Garnier	elodie.garnier@nuits-arvernes.example	7	Programmatrice		fr	2026-12-01 15:11:41.342803+00
11	Antoine	Dumas	antoine.dumas@volcans-films.example	8	Producteur		fr	2026-12-01 15:11:41.365842+00
12	Inès	Lefèvre	ines.lefevre@volcans-films.example	8	Réalisatrice		fr	2026-12-01 15:11:41.371551+00
13	Marion	Perrin	marion.perrin@atelier-animation.example	9	Réalisatrice		fr	2026-12-01 15:11:41.394006+00
14	Maxime	Girard	maxime.girard@clip-cadre.example	10	Réalisateur		fr	2026-12-01 15:11:41.413043+00
15	Pauline	Faure	pauline.faure@docs-massif.example	11	Productrice		fr	2026-12-01 15:11:41.445092+00
16	Rémi	Chevalier	remi.chevalier@motion-sancy.example	12	Artiste vidéo		fr	2026-12-01 15:11:41.474366+00
17	Franck	Bonnet	franck.bonnet@lumiere-scene.example	13	Directeur technique		fr	2026-12-01 15:11:41.499262+00
18	Karim	Haddad	karim.haddad@son-regie.example	14	Régisseur général		fr	2026-12-01 15:11:41.52064+00
19	Manon	Rey	manon.rey@graphique-pavin.example	15	Graphiste		fr	2026-12-01 15:11:41.553541+00
20	Sarah	Lambert	sarah.lambert@commarverne.example	16	Attachée de presse		fr	2026-12-01 15:11:41.577015+00
21	Olivier	Mercier	olivier.mercier@isis-auvergne.example	17	Directeur des études		fr	2026-12-01 15:11:41.600743+00
22	Nadia	Kaci	nadia.kaci@isis-auvergne.example	17	Chargée de recherche		fr	2026-12-01 15:11:41.614547+00
23	Vincent	Brun	vincent.brun@lab-aun.example	18	Enseignant-chercheur		fr	2026-12-01 15:11:41.633204+00
24	Isabelle	Roche	isabelle.roche@culture-cebazat.example	19	Directrice des affaires culturelles		fr	2026-12-01 15:11:41.65708+00
25	Laurent	Giraud	laurent.giraud@agence-culturelle.example	20	Chargé de mission filières		fr	2026-12-01 15:11:41.686413+00
26	Anne	Delorme	anne.delorme@festival-programmation.example	\N	Programmatrice, scène nationale		fr	2026-12-01 15:11:41.695389+00
27	Marc	Oliveira	marc.oliveira@mediatheques.example	\N	Responsable musique, réseau de médiathèques		fr	2026-12-01 15:11:41.701223+00
28	Bruno	Vasseur	bruno.vasseur@la-cooperative.example	\N			fr	2026-12-01 15:11:45.453023+00
29	Chloé	Besson	chloe.besson@festival-jazz-volcans.example	\N			fr	2026-12-01 15:11:45.473775+00
30	Damien	Roussel	damien.roussel@cinema-art-essai.example	\N			fr	2026-12-01 15:11:45.496964+00
31	Fatima	Ziani	fatima.ziani@tele-auvergne.example	\N			fr	2026-12-01 15:11:45.519541+00
32	Gilles	Morin	gilles.morin@departement-culture.example	\N			fr	2026-12-01 15:11:45.554644+00
33	Hélène	Caron	helene.caron@agence-sync.example	\N			fr	2026-12-01 15:11:45.580461+00
34	Julie	Peyrard	julie.peyrard@musee-arts-numeriques.example	\N			fr	2026-12-01 15:11:45.61552+00
\.


--
-- Data for Name: piccolo_user; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.piccolo_user (id, username, password, email, active, admin, first_name, last_name, superuser, last_login) FROM stdin;
1	admin@ledamier.fr	pbkdf2_sha256$600000$639b0b4970a6e375ae20bf5abf1c60aa$9340a166a9b30dcada100b447beaea542a6c6548e6bed61f6fca3852de5ac8c8	admin@ledamier.fr	t	t	Administrateur démo		t	\N
\.


--
-- Data for Name: rate_limit_hit; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.rate_limit_hit (id, key, at) FROM stdin;
\.


--
-- Data for Name: room; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.room (id, venue, name, capacity) FROM stdin;
1	1	Grande salle	500
2	1	Foyer – salon des exposants	200
3	1	Salle de conférence	120
4	1	Salle des rencontres	60
5	2	Plateau	150
6	2	Atelier prototypage	60
7	2	Salle du jury	30
8	3	Salle de réunion	40
9	3	Espace coworking	80
10	4	Salle de projection du Marché	120
\.


--
-- Data for Name: session_person; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.session_person (id, session, person, role) FROM stdin;
1	2	25	moderator
2	2	10	speaker
3	2	26	speaker
4	2	4	speaker
5	3	8	performer
6	3	9	performer
7	4	1	speaker
8	6	14	speaker
9	6	13	speaker
10	6	16	speaker
11	7	5	speaker
12	9	6	moderator
13	9	11	speaker
14	9	7	speaker
15	10	15	speaker
16	10	12	speaker
17	12	24	moderator
18	12	27	speaker
19	12	21	speaker
20	14	15	speaker
21	15	13	speaker
22	16	14	speaker
23	17	12	speaker
24	18	16	speaker
25	19	11	speaker
26	20	20	speaker
27	21	25	speaker
28	22	19	speaker
29	22	5	speaker
30	23	23	speaker
31	23	22	speaker
32	25	17	speaker
33	27	23	speaker
34	27	7	speaker
35	30	24	moderator
36	30	21	speaker
\.


--
-- Data for Name: sessions; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.sessions (id, token, user_id, expiry_date, max_expiry_date) FROM stdin;
\.


--
-- Data for Name: staff_user; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.staff_user (id, email, name, password_hash, role, active, created_at, last_login_at) FROM stdin;
1	admin@ledamier.fr	Administrateur démo	$argon2id$v=19$m=65536,t=3,p=4$ym5kSMKmQDTFLlp9tTVxkw$dT+C+Wwh+ZyOQft30A8Z88LiFd8te6+HJhvHa6qbcks	admin	t	2026-12-01 15:11:47.284168+00	\N
\.


--
-- Data for Name: ticket; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket (id, public_id, "order", event, ticket_type, attendee_name, attendee_email, attendee_organisation, price_ht_cents, vat_cents, status, created_at, updated_at) FROM stdin;
\.


--
-- Data for Name: ticket_credit_note; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_credit_note (id, number, year, sequence, invoice, "order", issued_at, reason, total_ht_cents, total_vat_cents, total_ttc_cents) FROM stdin;
\.


--
-- Data for Name: ticket_document_counter; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_document_counter (id, key, last) FROM stdin;
\.


--
-- Data for Name: ticket_event_sales; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_event_sales (id, event, sold) FROM stdin;
1	1	0
6	2	0
11	3	0
16	4	0
21	5	0
\.


--
-- Data for Name: ticket_invoice; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_invoice (id, number, year, sequence, "order", issued_at, buyer_name, buyer_email, buyer_organisation, total_ht_cents, total_vat_cents, total_ttc_cents) FROM stdin;
\.


--
-- Data for Name: ticket_member_confirmation; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_member_confirmation (id, "order", ticket, kind, email, token_hash, new_name, new_organisation, created_at, expires_at, confirmed_at, superseded_at) FROM stdin;
\.


--
-- Data for Name: ticket_stripe_event; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_stripe_event (id, event_id, event_type, object_id, processed_at) FROM stdin;
\.


--
-- Data for Name: ticket_type; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_type (id, event, name, name_en, description, description_en, price_cents, vat_rate, requires_membership, staff_only, capacity, sold, max_per_order, sales_start, sales_end, "position", active) FROM stdin;
1	1	Adhérent	Member			0	20	t	f	\N	0	10	\N	\N	1	t
2	1	Non-adhérent	Non-member			2000	20	f	f	\N	0	10	\N	\N	2	t
3	1	Acheteur / programmateur invité	Invited buyer / programmer			0	20	f	t	\N	0	10	\N	\N	3	t
4	1	Intervenant	Speaker			0	20	f	t	\N	0	10	\N	\N	4	t
5	1	Exposant	Exhibitor			0	20	f	t	\N	0	10	\N	\N	5	t
6	2	Adhérent	Member			0	20	t	f	\N	0	10	\N	\N	1	t
7	2	Non-adhérent	Non-member			2000	20	f	f	\N	0	10	\N	\N	2	t
8	2	Acheteur / programmateur invité	Invited buyer / programmer			0	20	f	t	\N	0	10	\N	\N	3	t
9	2	Intervenant	Speaker			0	20	f	t	\N	0	10	\N	\N	4	t
10	2	Exposant	Exhibitor			0	20	f	t	\N	0	10	\N	\N	5	t
11	3	Adhérent	Member			0	20	t	f	\N	0	10	\N	\N	1	t
12	3	Non-adhérent	Non-member			2000	20	f	f	\N	0	10	\N	\N	2	t
13	3	Acheteur / programmateur invité	Invited buyer / programmer			0	20	f	t	\N	0	10	\N	\N	3	t
14	3	Intervenant	Speaker			0	20	f	t	\N	0	10	\N	\N	4	t
15	3	Exposant	Exhibitor			0	20	f	t	\N	0	10	\N	\N	5	t
16	4	Adhérent	Member			0	20	t	f	\N	0	10	\N	\N	1	t
17	4	Non-adhérent	Non-member			2000	20	f	f	\N	0	10	\N	\N	2	t
18	4	Acheteur / programmateur invité	Invited buyer / programmer			0	20	f	t	\N	0	10	\N	\N	3	t
19	4	Intervenant	Speaker			0	20	f	t	\N	0	10	\N	\N	4	t
20	4	Exposant	Exhibitor			0	20	f	t	\N	0	10	\N	\N	5	t
21	5	Adhérent	Member			0	20	t	f	\N	0	10	\N	\N	1	t
22	5	Non-adhérent	Non-member			2000	20	f	f	\N	0	10	\N	\N	2	t
23	5	Acheteur / programmateur invité	Invited buyer / programmer			0	20	f	t	\N	0	10	\N	\N	3	t
24	5	Intervenant	Speaker			0	20	f	t	\N	0	10	\N	\N	4	t
25	5	Exposant	Exhibitor			0	20	f	t	\N	0	10	\N	\N	5	t
\.


--
-- Data for Name: ticket_waiting_list; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticket_waiting_list (id, event, ticket_type, name, email, locale, quantity, status, offer_token, offer_expires_at, created_at) FROM stdin;
\.


--
-- Data for Name: ticketing_order; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.ticketing_order (id, token, event, buyer_name, buyer_email, buyer_organisation, locale, status, source, approval_requested, approval_note, total_ht_cents, total_vat_cents, total_ttc_cents, refunded_cents, expires_at, payment_intent_id, stripe_refund_id, created_at, paid_at, confirmed_at, cancelled_at, client_ip_hash, payment_method) FROM stdin;
\.


--
-- Data for Name: venue; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.venue (id, name, address, postal_code, city) FROM stdin;
1	Sémaphore		63118	Cébazat
2	pôle imagO		63118	Cébazat
3	Epicentre Factory	5 rue Saint-Dominique	63000	Clermont-Ferrand
4	Marché du Film – Festival du court métrage de Clermont-Ferrand	Place du 1er Mai	63100	Clermont-Ferrand
\.


--
-- Data for Name: web_session; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.web_session (id, key_hash, staff_user, attendee_email, user_agent, created_at, last_seen_at, expires_at) FROM stdin;
\.


--
-- Name: checkin_device_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.checkin_device_id_seq', 1, false);


--
-- Name: checkin_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.checkin_id_seq', 1, false);


--
-- Name: event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_id_seq', 9, true);


--
-- Name: event_session_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.event_session_id_seq', 33, true);


--
-- Name: login_link_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.login_link_id_seq', 1, false);


--
-- Name: meeting_commission_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_commission_id_seq', 1, false);


--
-- Name: meeting_day_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_day_id_seq', 2, true);


--
-- Name: meeting_decline_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_decline_id_seq', 1, false);


--
-- Name: meeting_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_id_seq', 1, false);


--
-- Name: meeting_participant_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_participant_id_seq', 21, true);


--
-- Name: meeting_programme_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_programme_id_seq', 1, true);


--
-- Name: meeting_report_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_report_id_seq', 1, false);


--
-- Name: meeting_run_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_run_id_seq', 1, false);


--
-- Name: meeting_unavailability_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_unavailability_id_seq', 1, false);


--
-- Name: meeting_unmet_wish_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_unmet_wish_id_seq', 1, false);


--
-- Name: meeting_wish_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.meeting_wish_id_seq', 45, true);


--
-- Name: membership_year_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.membership_year_id_seq', 34, true);


--
-- Name: migration_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.migration_id_seq', 20, true);


--
-- Name: organisation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.organisation_id_seq', 20, true);


--
-- Name: outbox_job_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.outbox_job_id_seq', 1, false);


--
-- Name: person_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.person_id_seq', 34, true);


--
-- Name: piccolo_user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.piccolo_user_id_seq', 1, true);


--
-- Name: rate_limit_hit_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.rate_limit_hit_id_seq', 1, false);


--
-- Name: room_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.room_id_seq', 10, true);


--
-- Name: session_person_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.session_person_id_seq', 36, true);


--
-- Name: sessions_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.sessions_id_seq', 1, false);


--
-- Name: staff_user_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.staff_user_id_seq', 1, true);


--
-- Name: ticket_credit_note_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_credit_note_id_seq', 1, false);


--
-- Name: ticket_document_counter_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_document_counter_id_seq', 1, false);


--
-- Name: ticket_event_sales_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_event_sales_id_seq', 25, true);


--
-- Name: ticket_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_id_seq', 1, false);


--
-- Name: ticket_invoice_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_invoice_id_seq', 1, false);


--
-- Name: ticket_member_confirmation_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_member_confirmation_id_seq', 1, false);


--
-- Name: ticket_stripe_event_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_stripe_event_id_seq', 1, false);


--
-- Name: ticket_type_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_type_id_seq', 25, true);


--
-- Name: ticket_waiting_list_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticket_waiting_list_id_seq', 1, false);


--
-- Name: ticketing_order_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.ticketing_order_id_seq', 1, false);


--
-- Name: venue_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.venue_id_seq', 4, true);


--
-- Name: web_session_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.web_session_id_seq', 1, false);


--
-- Name: checkin_device checkin_device_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin_device
    ADD CONSTRAINT checkin_device_pkey PRIMARY KEY (id);


--
-- Name: checkin_device checkin_device_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin_device
    ADD CONSTRAINT checkin_device_token_hash_key UNIQUE (token_hash);


--
-- Name: checkin checkin_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin
    ADD CONSTRAINT checkin_pkey PRIMARY KEY (id);


--
-- Name: checkin checkin_scan_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin
    ADD CONSTRAINT checkin_scan_id_key UNIQUE (scan_id);


--
-- Name: event event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (id);


--
-- Name: event_session event_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_session
    ADD CONSTRAINT event_session_pkey PRIMARY KEY (id);


--
-- Name: event_session event_session_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_session
    ADD CONSTRAINT event_session_uid_key UNIQUE (uid);


--
-- Name: event event_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_slug_key UNIQUE (slug);


--
-- Name: event event_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_uid_key UNIQUE (uid);


--
-- Name: login_link login_link_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_link
    ADD CONSTRAINT login_link_pkey PRIMARY KEY (id);


--
-- Name: login_link login_link_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_link
    ADD CONSTRAINT login_link_token_hash_key UNIQUE (token_hash);


--
-- Name: meeting_commission meeting_commission_meeting_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_commission
    ADD CONSTRAINT meeting_commission_meeting_key UNIQUE (meeting);


--
-- Name: meeting_commission meeting_commission_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_commission
    ADD CONSTRAINT meeting_commission_pkey PRIMARY KEY (id);


--
-- Name: meeting_day meeting_day_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_day
    ADD CONSTRAINT meeting_day_pkey PRIMARY KEY (id);


--
-- Name: meeting_decline meeting_decline_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_decline
    ADD CONSTRAINT meeting_decline_pkey PRIMARY KEY (id);


--
-- Name: meeting_participant meeting_participant_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_participant
    ADD CONSTRAINT meeting_participant_pkey PRIMARY KEY (id);


--
-- Name: meeting meeting_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_pkey PRIMARY KEY (id);


--
-- Name: meeting_programme meeting_programme_event_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_programme
    ADD CONSTRAINT meeting_programme_event_key UNIQUE (event);


--
-- Name: meeting_programme meeting_programme_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_programme
    ADD CONSTRAINT meeting_programme_pkey PRIMARY KEY (id);


--
-- Name: meeting_report meeting_report_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_report
    ADD CONSTRAINT meeting_report_pkey PRIMARY KEY (id);


--
-- Name: meeting_run meeting_run_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_run
    ADD CONSTRAINT meeting_run_pkey PRIMARY KEY (id);


--
-- Name: meeting meeting_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_uid_key UNIQUE (uid);


--
-- Name: meeting_unavailability meeting_unavailability_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_unavailability
    ADD CONSTRAINT meeting_unavailability_pkey PRIMARY KEY (id);


--
-- Name: meeting_unmet_wish meeting_unmet_wish_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_unmet_wish
    ADD CONSTRAINT meeting_unmet_wish_pkey PRIMARY KEY (id);


--
-- Name: meeting_wish meeting_wish_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_wish
    ADD CONSTRAINT meeting_wish_pkey PRIMARY KEY (id);


--
-- Name: membership_year membership_year_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership_year
    ADD CONSTRAINT membership_year_pkey PRIMARY KEY (id);


--
-- Name: migration migration_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.migration
    ADD CONSTRAINT migration_pkey PRIMARY KEY (id);


--
-- Name: organisation organisation_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation
    ADD CONSTRAINT organisation_name_key UNIQUE (name);


--
-- Name: organisation organisation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organisation
    ADD CONSTRAINT organisation_pkey PRIMARY KEY (id);


--
-- Name: outbox_job outbox_job_dedup_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox_job
    ADD CONSTRAINT outbox_job_dedup_key_key UNIQUE (dedup_key);


--
-- Name: outbox_job outbox_job_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox_job
    ADD CONSTRAINT outbox_job_pkey PRIMARY KEY (id);


--
-- Name: person person_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person
    ADD CONSTRAINT person_email_key UNIQUE (email);


--
-- Name: person person_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person
    ADD CONSTRAINT person_pkey PRIMARY KEY (id);


--
-- Name: piccolo_user piccolo_user_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.piccolo_user
    ADD CONSTRAINT piccolo_user_email_key UNIQUE (email);


--
-- Name: piccolo_user piccolo_user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.piccolo_user
    ADD CONSTRAINT piccolo_user_pkey PRIMARY KEY (id);


--
-- Name: piccolo_user piccolo_user_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.piccolo_user
    ADD CONSTRAINT piccolo_user_username_key UNIQUE (username);


--
-- Name: rate_limit_hit rate_limit_hit_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rate_limit_hit
    ADD CONSTRAINT rate_limit_hit_pkey PRIMARY KEY (id);


--
-- Name: room room_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.room
    ADD CONSTRAINT room_pkey PRIMARY KEY (id);


--
-- Name: session_person session_person_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_person
    ADD CONSTRAINT session_person_pkey PRIMARY KEY (id);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);


--
-- Name: staff_user staff_user_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_user
    ADD CONSTRAINT staff_user_email_key UNIQUE (email);


--
-- Name: staff_user staff_user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_user
    ADD CONSTRAINT staff_user_pkey PRIMARY KEY (id);


--
-- Name: ticket_credit_note ticket_credit_note_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_credit_note
    ADD CONSTRAINT ticket_credit_note_number_key UNIQUE (number);


--
-- Name: ticket_credit_note ticket_credit_note_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_credit_note
    ADD CONSTRAINT ticket_credit_note_pkey PRIMARY KEY (id);


--
-- Name: ticket_document_counter ticket_document_counter_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_document_counter
    ADD CONSTRAINT ticket_document_counter_key_key UNIQUE (key);


--
-- Name: ticket_document_counter ticket_document_counter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_document_counter
    ADD CONSTRAINT ticket_document_counter_pkey PRIMARY KEY (id);


--
-- Name: ticket_event_sales ticket_event_sales_event_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_event_sales
    ADD CONSTRAINT ticket_event_sales_event_key UNIQUE (event);


--
-- Name: ticket_event_sales ticket_event_sales_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_event_sales
    ADD CONSTRAINT ticket_event_sales_pkey PRIMARY KEY (id);


--
-- Name: ticket_invoice ticket_invoice_number_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_invoice
    ADD CONSTRAINT ticket_invoice_number_key UNIQUE (number);


--
-- Name: ticket_invoice ticket_invoice_order_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_invoice
    ADD CONSTRAINT ticket_invoice_order_key UNIQUE ("order");


--
-- Name: ticket_invoice ticket_invoice_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_invoice
    ADD CONSTRAINT ticket_invoice_pkey PRIMARY KEY (id);


--
-- Name: ticket_member_confirmation ticket_member_confirmation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_member_confirmation
    ADD CONSTRAINT ticket_member_confirmation_pkey PRIMARY KEY (id);


--
-- Name: ticket_member_confirmation ticket_member_confirmation_token_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_member_confirmation
    ADD CONSTRAINT ticket_member_confirmation_token_hash_key UNIQUE (token_hash);


--
-- Name: ticket ticket_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_pkey PRIMARY KEY (id);


--
-- Name: ticket ticket_public_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_public_id_key UNIQUE (public_id);


--
-- Name: ticket_stripe_event ticket_stripe_event_event_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_stripe_event
    ADD CONSTRAINT ticket_stripe_event_event_id_key UNIQUE (event_id);


--
-- Name: ticket_stripe_event ticket_stripe_event_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_stripe_event
    ADD CONSTRAINT ticket_stripe_event_pkey PRIMARY KEY (id);


--
-- Name: ticket_type ticket_type_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_type
    ADD CONSTRAINT ticket_type_pkey PRIMARY KEY (id);


--
-- Name: ticket_waiting_list ticket_waiting_list_offer_token_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_waiting_list
    ADD CONSTRAINT ticket_waiting_list_offer_token_key UNIQUE (offer_token);


--
-- Name: ticket_waiting_list ticket_waiting_list_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_waiting_list
    ADD CONSTRAINT ticket_waiting_list_pkey PRIMARY KEY (id);


--
-- Name: ticketing_order ticketing_order_payment_intent_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticketing_order
    ADD CONSTRAINT ticketing_order_payment_intent_id_key UNIQUE (payment_intent_id);


--
-- Name: ticketing_order ticketing_order_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticketing_order
    ADD CONSTRAINT ticketing_order_pkey PRIMARY KEY (id);


--
-- Name: ticketing_order ticketing_order_token_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticketing_order
    ADD CONSTRAINT ticketing_order_token_key UNIQUE (token);


--
-- Name: venue venue_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.venue
    ADD CONSTRAINT venue_pkey PRIMARY KEY (id);


--
-- Name: web_session web_session_key_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_session
    ADD CONSTRAINT web_session_key_hash_key UNIQUE (key_hash);


--
-- Name: web_session web_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_session
    ADD CONSTRAINT web_session_pkey PRIMARY KEY (id);


--
-- Name: checkin_device_event; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX checkin_device_event ON public.checkin_device USING btree (event);


--
-- Name: checkin_device_pairing_hash; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX checkin_device_pairing_hash ON public.checkin_device USING btree (pairing_hash);


--
-- Name: checkin_event_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX checkin_event_status ON public.checkin USING btree (event, status);


--
-- Name: checkin_one_ok; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX checkin_one_ok ON public.checkin USING btree (ticket, session_key) WHERE ((status)::text = 'ok'::text);


--
-- Name: checkin_ticket; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX checkin_ticket ON public.checkin USING btree (ticket);


--
-- Name: event_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX event_status ON public.event USING btree (status);


--
-- Name: login_link_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_link_email ON public.login_link USING btree (email);


--
-- Name: organisation_email_domain; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organisation_email_domain ON public.organisation USING btree (email_domain);


--
-- Name: outbox_job_actor; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_job_actor ON public.outbox_job USING btree (actor);


--
-- Name: outbox_job_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_job_status ON public.outbox_job USING btree (status);


--
-- Name: rate_limit_hit_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX rate_limit_hit_at ON public.rate_limit_hit USING btree (at);


--
-- Name: rate_limit_hit_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX rate_limit_hit_key ON public.rate_limit_hit USING btree (key);


--
-- Name: ticket_attendee_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_attendee_email ON public.ticket USING btree (attendee_email);


--
-- Name: ticket_credit_note_invoice; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_credit_note_invoice ON public.ticket_credit_note USING btree (invoice);


--
-- Name: ticket_credit_note_order; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_credit_note_order ON public.ticket_credit_note USING btree ("order");


--
-- Name: ticket_event; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_event ON public.ticket USING btree (event);


--
-- Name: ticket_member_confirmation_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_member_confirmation_email ON public.ticket_member_confirmation USING btree (email);


--
-- Name: ticket_member_confirmation_order; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_member_confirmation_order ON public.ticket_member_confirmation USING btree ("order");


--
-- Name: ticket_order; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_order ON public.ticket USING btree ("order");


--
-- Name: ticket_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_status ON public.ticket USING btree (status);


--
-- Name: ticket_stripe_event_object_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_stripe_event_object_id ON public.ticket_stripe_event USING btree (object_id);


--
-- Name: ticket_ticket_type; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_ticket_type ON public.ticket USING btree (ticket_type);


--
-- Name: ticket_type_event; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_type_event ON public.ticket_type USING btree (event);


--
-- Name: ticket_waiting_list_event; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_waiting_list_event ON public.ticket_waiting_list USING btree (event);


--
-- Name: ticket_waiting_list_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticket_waiting_list_status ON public.ticket_waiting_list USING btree (status);


--
-- Name: ticketing_order_buyer_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticketing_order_buyer_email ON public.ticketing_order USING btree (buyer_email);


--
-- Name: ticketing_order_event; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticketing_order_event ON public.ticketing_order USING btree (event);


--
-- Name: ticketing_order_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ticketing_order_status ON public.ticketing_order USING btree (status);


--
-- Name: web_session_attendee_email; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX web_session_attendee_email ON public.web_session USING btree (attendee_email);


--
-- Name: web_session_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX web_session_expires_at ON public.web_session USING btree (expires_at);


--
-- Name: web_session_staff_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX web_session_staff_user ON public.web_session USING btree (staff_user);


--
-- Name: checkin_device checkin_device_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin_device
    ADD CONSTRAINT checkin_device_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.staff_user(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: checkin_device checkin_device_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin_device
    ADD CONSTRAINT checkin_device_event_fkey FOREIGN KEY (event) REFERENCES public.event(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: checkin_device checkin_device_session_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin_device
    ADD CONSTRAINT checkin_device_session_fkey FOREIGN KEY (session) REFERENCES public.event_session(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: checkin checkin_reviewed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin
    ADD CONSTRAINT checkin_reviewed_by_fkey FOREIGN KEY (reviewed_by) REFERENCES public.staff_user(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: checkin checkin_staff_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin
    ADD CONSTRAINT checkin_staff_fkey FOREIGN KEY (staff) REFERENCES public.staff_user(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: checkin checkin_ticket_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin
    ADD CONSTRAINT checkin_ticket_fkey FOREIGN KEY (ticket) REFERENCES public.ticket(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: checkin checkin_undone_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.checkin
    ADD CONSTRAINT checkin_undone_by_fkey FOREIGN KEY (undone_by) REFERENCES public.staff_user(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: event_session event_session_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_session
    ADD CONSTRAINT event_session_event_fkey FOREIGN KEY (event) REFERENCES public.event(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: event_session event_session_room_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event_session
    ADD CONSTRAINT event_session_room_fkey FOREIGN KEY (room) REFERENCES public.room(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: event event_venue_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.event
    ADD CONSTRAINT event_venue_fkey FOREIGN KEY (venue) REFERENCES public.venue(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: login_link login_link_staff_user_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_link
    ADD CONSTRAINT login_link_staff_user_fkey FOREIGN KEY (staff_user) REFERENCES public.staff_user(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting meeting_buyer_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_buyer_fkey FOREIGN KEY (buyer) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_commission meeting_commission_meeting_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_commission
    ADD CONSTRAINT meeting_commission_meeting_fkey FOREIGN KEY (meeting) REFERENCES public.meeting(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_commission meeting_commission_organisation_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_commission
    ADD CONSTRAINT meeting_commission_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: meeting_commission meeting_commission_programme_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_commission
    ADD CONSTRAINT meeting_commission_programme_fkey FOREIGN KEY (programme) REFERENCES public.meeting_programme(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_day meeting_day_programme_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_day
    ADD CONSTRAINT meeting_day_programme_fkey FOREIGN KEY (programme) REFERENCES public.meeting_programme(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_decline meeting_decline_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_decline
    ADD CONSTRAINT meeting_decline_source_fkey FOREIGN KEY (source) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_decline meeting_decline_target_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_decline
    ADD CONSTRAINT meeting_decline_target_fkey FOREIGN KEY (target) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_participant meeting_participant_person_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_participant
    ADD CONSTRAINT meeting_participant_person_fkey FOREIGN KEY (person) REFERENCES public.person(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_participant meeting_participant_programme_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_participant
    ADD CONSTRAINT meeting_participant_programme_fkey FOREIGN KEY (programme) REFERENCES public.meeting_programme(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting meeting_producer_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_producer_fkey FOREIGN KEY (producer) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_programme meeting_programme_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_programme
    ADD CONSTRAINT meeting_programme_event_fkey FOREIGN KEY (event) REFERENCES public.event(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting meeting_programme_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting
    ADD CONSTRAINT meeting_programme_fkey FOREIGN KEY (programme) REFERENCES public.meeting_programme(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_report meeting_report_meeting_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_report
    ADD CONSTRAINT meeting_report_meeting_fkey FOREIGN KEY (meeting) REFERENCES public.meeting(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_report meeting_report_participant_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_report
    ADD CONSTRAINT meeting_report_participant_fkey FOREIGN KEY (participant) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_run meeting_run_programme_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_run
    ADD CONSTRAINT meeting_run_programme_fkey FOREIGN KEY (programme) REFERENCES public.meeting_programme(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_unavailability meeting_unavailability_participant_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_unavailability
    ADD CONSTRAINT meeting_unavailability_participant_fkey FOREIGN KEY (participant) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_unmet_wish meeting_unmet_wish_run_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_unmet_wish
    ADD CONSTRAINT meeting_unmet_wish_run_fkey FOREIGN KEY (run) REFERENCES public.meeting_run(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_unmet_wish meeting_unmet_wish_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_unmet_wish
    ADD CONSTRAINT meeting_unmet_wish_source_fkey FOREIGN KEY (source) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_unmet_wish meeting_unmet_wish_target_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_unmet_wish
    ADD CONSTRAINT meeting_unmet_wish_target_fkey FOREIGN KEY (target) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_wish meeting_wish_source_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_wish
    ADD CONSTRAINT meeting_wish_source_fkey FOREIGN KEY (source) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: meeting_wish meeting_wish_target_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meeting_wish
    ADD CONSTRAINT meeting_wish_target_fkey FOREIGN KEY (target) REFERENCES public.meeting_participant(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: membership_year membership_year_organisation_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership_year
    ADD CONSTRAINT membership_year_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: person person_organisation_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person
    ADD CONSTRAINT person_organisation_fkey FOREIGN KEY (organisation) REFERENCES public.organisation(id) ON UPDATE CASCADE ON DELETE SET NULL;


--
-- Name: room room_venue_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.room
    ADD CONSTRAINT room_venue_fkey FOREIGN KEY (venue) REFERENCES public.venue(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: session_person session_person_person_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_person
    ADD CONSTRAINT session_person_person_fkey FOREIGN KEY (person) REFERENCES public.person(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: session_person session_person_session_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.session_person
    ADD CONSTRAINT session_person_session_fkey FOREIGN KEY (session) REFERENCES public.event_session(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticket_credit_note ticket_credit_note_invoice_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_credit_note
    ADD CONSTRAINT ticket_credit_note_invoice_fkey FOREIGN KEY (invoice) REFERENCES public.ticket_invoice(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: ticket_credit_note ticket_credit_note_order_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_credit_note
    ADD CONSTRAINT ticket_credit_note_order_fkey FOREIGN KEY ("order") REFERENCES public.ticketing_order(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: ticket ticket_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_event_fkey FOREIGN KEY (event) REFERENCES public.event(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticket_event_sales ticket_event_sales_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_event_sales
    ADD CONSTRAINT ticket_event_sales_event_fkey FOREIGN KEY (event) REFERENCES public.event(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticket_invoice ticket_invoice_order_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_invoice
    ADD CONSTRAINT ticket_invoice_order_fkey FOREIGN KEY ("order") REFERENCES public.ticketing_order(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: ticket_member_confirmation ticket_member_confirmation_order_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_member_confirmation
    ADD CONSTRAINT ticket_member_confirmation_order_fkey FOREIGN KEY ("order") REFERENCES public.ticketing_order(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticket_member_confirmation ticket_member_confirmation_ticket_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_member_confirmation
    ADD CONSTRAINT ticket_member_confirmation_ticket_fkey FOREIGN KEY (ticket) REFERENCES public.ticket(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticket ticket_order_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_order_fkey FOREIGN KEY ("order") REFERENCES public.ticketing_order(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticket ticket_ticket_type_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket
    ADD CONSTRAINT ticket_ticket_type_fkey FOREIGN KEY (ticket_type) REFERENCES public.ticket_type(id) ON UPDATE CASCADE ON DELETE RESTRICT;


--
-- Name: ticket_type ticket_type_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_type
    ADD CONSTRAINT ticket_type_event_fkey FOREIGN KEY (event) REFERENCES public.event(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticket_waiting_list ticket_waiting_list_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_waiting_list
    ADD CONSTRAINT ticket_waiting_list_event_fkey FOREIGN KEY (event) REFERENCES public.event(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticket_waiting_list ticket_waiting_list_ticket_type_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticket_waiting_list
    ADD CONSTRAINT ticket_waiting_list_ticket_type_fkey FOREIGN KEY (ticket_type) REFERENCES public.ticket_type(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: ticketing_order ticketing_order_event_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.ticketing_order
    ADD CONSTRAINT ticketing_order_event_fkey FOREIGN KEY (event) REFERENCES public.event(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- Name: web_session web_session_staff_user_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.web_session
    ADD CONSTRAINT web_session_staff_user_fkey FOREIGN KEY (staff_user) REFERENCES public.staff_user(id) ON UPDATE CASCADE ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict dqnTXMzfkwRRELev6NdCbjYDyORu57eEkA9eUMqZwjp4hMRPViklSZPp2jX2diB

