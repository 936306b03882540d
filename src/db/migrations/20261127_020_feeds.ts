import type { Kysely } from 'kysely';

/**
 * Frozen: proactive notification (issue 5). Constituents' scope (netblocks, ASNs, domains) and
 * contacts; feed sources and imports; harmonised events (IntelMQ field names, one row per dedup
 * key) with per-import sighting counts; notices and the hosts they name.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('constituent_netblocks')
    .addColumn('cidr', 'varchar(50)', (c) => c.primaryKey()) // canonical CIDR: one owner per block
    .addColumn('constituent_id', 'varchar(36)', (c) => c.notNull().references('constituents.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('constituent_netblocks_owner').on('constituent_netblocks').column('constituent_id').execute();
  await db.schema
    .createTable('constituent_asns')
    .addColumn('asn', 'bigint', (c) => c.primaryKey())
    .addColumn('constituent_id', 'varchar(36)', (c) => c.notNull().references('constituents.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('constituent_asns_owner').on('constituent_asns').column('constituent_id').execute();
  await db.schema
    .createTable('constituent_domains')
    .addColumn('domain', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('constituent_id', 'varchar(36)', (c) => c.notNull().references('constituents.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('constituent_domains_owner').on('constituent_domains').column('constituent_id').execute();
  await db.schema
    .createTable('constituent_contacts')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('constituent_id', 'varchar(36)', (c) => c.notNull().references('constituents.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('role', 'varchar(100)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('pgp_key', 'text')
    .addColumn('language', 'varchar(5)', (c) => c.notNull())
    .addColumn('notify_mode', 'varchar(10)', (c) => c.notNull())
    .addColumn('tlp_ceiling', 'varchar(20)', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull()) // JSON array; empty = all
    .execute();
  await db.schema.createIndex('constituent_contacts_owner').on('constituent_contacts').column('constituent_id').execute();

  await db.schema
    .createTable('feed_sources')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('parser', 'varchar(40)', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('provider', 'varchar(200)')
    .addColumn('default_tlp', 'varchar(20)', (c) => c.notNull())
    .addColumn('poll_url', 'text')
    .addColumn('schedule', 'varchar(100)')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('feed_imports')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('source_id', 'varchar(36)', (c) => c.notNull().references('feed_sources.id').onDelete('cascade'))
    .addColumn('method', 'varchar(10)', (c) => c.notNull()) // upload | push | poll | mail
    .addColumn('file_name', 'varchar(300)')
    .addColumn('blob_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('observed_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('status', 'varchar(12)', (c) => c.notNull()) // queued | running | done | failed
    .addColumn('started_at', 'varchar(30)')
    .addColumn('finished_at', 'varchar(30)')
    .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('matched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unmatched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('events', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notices', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'text', (c) => c.notNull()) // JSON [{ line, reason, excerpt? }]
    .addColumn('error', 'text')
    .addColumn('created_by', 'varchar(36)')
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('feed_imports_source').on('feed_imports').columns(['source_id', 'created_at']).execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('dedup_key', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('feed_source_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('first_import_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('feed_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('classification_taxonomy', 'varchar(60)', (c) => c.notNull())
    .addColumn('classification_type', 'varchar(60)', (c) => c.notNull())
    .addColumn('classification_identifier', 'varchar(200)')
    .addColumn('source_ip', 'varchar(45)')
    .addColumn('source_port', 'integer')
    .addColumn('source_asn', 'bigint')
    .addColumn('source_fqdn', 'varchar(255)')
    .addColumn('source_url', 'text')
    .addColumn('source_network', 'varchar(50)')
    .addColumn('source_cc', 'varchar(2)')
    .addColumn('protocol_transport', 'varchar(20)')
    .addColumn('protocol_application', 'varchar(60)')
    .addColumn('malware_name', 'varchar(200)')
    .addColumn('time_source', 'varchar(30)')
    .addColumn('time_observation', 'varchar(30)', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull()) // the other harmonised fields and extra.*
    .addColumn('host', 'text', (c) => c.notNull()) // url ?? ip ?? fqdn ?? network: what notices name
    .addColumn('constituent_id', 'varchar(36)')
    .addColumn('matched_by', 'varchar(10)')
    .addColumn('matched_on', 'varchar(255)')
    .addColumn('sightings', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'varchar(30)', (c) => c.notNull())
    .addColumn('last_seen', 'varchar(30)', (c) => c.notNull())
    .addColumn('tlp', 'varchar(20)', (c) => c.notNull())
    .addColumn('notice_id', 'varchar(36)') // the notice that first named it
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_constituent').on('events').columns(['constituent_id', 'first_seen', 'id']).execute();
  await db.schema.createIndex('events_seen').on('events').columns(['first_seen', 'id']).execute();
  await db.schema.createIndex('events_host').on('events').columns(['feed_source_id', 'host']).execute();
  // Sightings per import (absolute counts): a rerun of an import overwrites its own row, never adds.
  await db.schema
    .createTable('event_imports')
    .addColumn('event_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('import_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('first_seen', 'varchar(30)', (c) => c.notNull())
    .addColumn('last_seen', 'varchar(30)', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_imports_pk', ['event_id', 'import_id'])
    .execute();
  await db.schema.createIndex('event_imports_import').on('event_imports').column('import_id').execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('dedupe_key', 'varchar(300)', (c) => c.notNull().unique())
    .addColumn('constituent_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('contact_id', 'varchar(36)')
    .addColumn('partner_id', 'varchar(36)') // routed to the sector CERT
    .addColumn('recipient', 'varchar(320)', (c) => c.notNull())
    .addColumn('feed_source_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('import_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('topic', 'varchar(60)', (c) => c.notNull())
    .addColumn('types', 'text', (c) => c.notNull())
    .addColumn('identifiers', 'text', (c) => c.notNull())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('event_ids', 'text', (c) => c.notNull())
    .addColumn('csv', 'text', (c) => c.notNull())
    .addColumn('language', 'varchar(5)', (c) => c.notNull())
    .addColumn('notify_mode', 'varchar(10)', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(15)', (c) => c.notNull())
    .addColumn('ack_token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('outbox_id', 'varchar(36)')
    .addColumn('incident_id', 'varchar(36)')
    .addColumn('send_after', 'varchar(30)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(30)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(30)')
    .addColumn('acknowledged_at', 'varchar(30)')
    .addColumn('resolved_at', 'varchar(30)')
    .addColumn('escalated_at', 'varchar(30)')
    .execute();
  await db.schema.createIndex('notices_constituent').on('notices').columns(['constituent_id', 'created_at']).execute();
  await db.schema.createIndex('notices_state').on('notices').columns(['state', 'created_at']).execute();
  await db.schema
    .createTable('notice_hosts')
    .addColumn('notice_id', 'varchar(36)', (c) => c.notNull().references('notices.id').onDelete('cascade'))
    .addColumn('host', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notice_hosts_notice').on('notice_hosts').column('notice_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['notice_hosts', 'notices', 'event_imports', 'events', 'feed_imports', 'feed_sources', 'constituent_contacts', 'constituent_domains', 'constituent_asns', 'constituent_netblocks']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
