// Port of build/testing/integration/readonly/readonly_test.go (TestReadOnly) at Flipt v1.61.1.
// Flipt runs it against a read-only store holding readonly/testdata/main; here that data set
// (../testdata/default.yaml and production.yaml, Flipt's files unchanged) is imported through
// `POST /api/v1/import` first, then every read, pagination and evaluation check runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { str, num, bool, list } from '../harness.mjs';
import { DefaultNamespace, Namespaces, tokenClient, attempt } from './common.mjs';

export const testName = 'TestReadOnly';

export async function setup(server) {
  for (const file of ['default.yaml', 'production.yaml']) {
    const res = await fetch(`${server.url}/api/v1/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/yaml' },
      body: readFileSync(join(import.meta.dirname, '..', 'testdata', file)),
    });
    if (res.status !== 200) throw new Error(`importing ${file} answered ${res.status}: ${await res.text()}`);
  }
}

export default async function TestReadOnly(t, server) {
  const sdk = await tokenClient(t, server);
  const F = sdk.flipt();
  const E = sdk.evaluation();
  const references = false; // a database store: Flipt's `--flipt-supports-references` is off

  let [ns, err] = await attempt(F.GetNamespace({ key: DefaultNamespace }));
  t.require.NoError(err);
  t.assert.Equal(DefaultNamespace, str(ns.key));
  t.assert.Equal('Default', str(ns.name));
  t.assert.NotEmpty(ns.createdAt);
  t.assert.NotEmpty(ns.updatedAt);

  await t.run('http', async (t) => {
    await t.run('ListNamespaces', async (t) => {
      // Ensure that invalid page token returns an appropriate response.
      let [, err] = await attempt(F.ListNamespaces({ limit: 10, pageToken: 'Hello World' }));
      t.require.EqualError(err, 'rpc error: code = InvalidArgument desc = pageToken is not valid: "Hello World"');
      let ns;
      [ns, err] = await attempt(F.ListNamespaces({}));
      t.require.NoError(err);
      t.assert.Len(ns.namespaces, 2);
    });

    for (const namespace of Namespaces) {
      await t.run(`namespace "${namespace.key}"`, async (t) => {
        await t.run('GetFlag', async (t) => {
          let [, err] = await attempt(F.GetFlag({ namespaceKey: namespace.key, key: 'flag_999' }));
          t.require.Error(err, 'not found');
          let flag;
          [flag, err] = await attempt(F.GetFlag({ namespaceKey: namespace.key, key: 'flag_013' }));
          t.require.NoError(err);
          t.assert.Equal(namespace.expected, str(flag.namespaceKey));
          t.assert.Equal('flag_013', str(flag.key));
          t.assert.Equal('FLAG_013', str(flag.name));
          t.assert.Equal('Some Description', str(flag.description));
          t.assert.True(bool(flag.enabled));
          t.require.Len(flag.variants, 2);
          t.assert.Equal('variant_001', str(flag.variants[0].key));
          t.assert.Equal('variant_002', str(flag.variants[1].key));
        });

        await t.run('ListFlags', async (t) => {
          // Ensure that invalid page token returns an appropriate response.
          let [, err] = await attempt(F.ListFlags({ namespaceKey: namespace.key, limit: 10, pageToken: 'Hello World' }));
          t.require.EqualError(err, 'rpc error: code = InvalidArgument desc = pageToken is not valid: "Hello World"');
          let flags;
          [flags, err] = await attempt(F.ListFlags({ namespaceKey: namespace.key }));
          t.require.NoError(err);
          t.require.Len(flags.flags, 57);
          const flag = flags.flags[0];
          t.assert.Equal(namespace.expected, str(flag.namespaceKey));
          t.assert.Equal('flag_001', str(flag.key));
          t.assert.Equal('FLAG_001', str(flag.name));
          t.assert.Equal('Some Description', str(flag.description));
          t.assert.True(bool(flag.enabled));
          t.require.Len(flag.variants, 2);
          t.assert.Equal('variant_001', str(flag.variants[0].key));
          t.assert.Equal('variant_002', str(flag.variants[1].key));

          await t.run('Paginated (page size 10)', async (t) => {
            const found = [];
            let nextPage = '';
            for (let page = 0; page < 100; page++) {
              const [flags, err] = await attempt(F.ListFlags({ namespaceKey: namespace.key, limit: 10, pageToken: nextPage }));
              t.require.NoError(err);
              if (str(flags.nextPageToken) === '') {
                // ensure last page contains 3 entries (boolean and disabled)
                t.assert.Len(flags.flags, 7);
                found.push(...list(flags.flags));
                break;
              }
              // ensure each full page is of length 10
              t.assert.Len(flags.flags, 10);
              found.push(...list(flags.flags));
              nextPage = flags.nextPageToken;
            }
            t.require.Len(found, 57);
          });
        });

        await t.run('GetSegment', async (t) => {
          let [, err] = await attempt(F.GetSegment({ namespaceKey: namespace.key, key: 'segment_999' }));
          t.require.Error(err, 'not found');
          let segment;
          [segment, err] = await attempt(F.GetSegment({ namespaceKey: namespace.key, key: 'segment_013' }));
          t.require.NoError(err);
          t.assert.Equal(namespace.expected, str(segment.namespaceKey));
          t.assert.Equal('segment_013', str(segment.key));
          t.assert.Equal('SEGMENT_013', str(segment.name));
          t.assert.Equal('Some Segment Description', str(segment.description));
          t.assert.Len(segment.constraints, 2);
          for (const constraint of list(segment.constraints)) {
            t.assert.NotEmpty(constraint.id);
            t.assert.Equal('STRING_COMPARISON_TYPE', str(constraint.type));
            t.assert.Equal('in_segment', str(constraint.property));
            t.assert.Equal('eq', str(constraint.operator));
            t.assert.Equal('segment_013', str(constraint.value));
          }
        });

        await t.run('ListSegments', async (t) => {
          let [, err] = await attempt(F.ListSegments({ namespaceKey: namespace.key, limit: 10, pageToken: 'Hello World' }));
          t.require.EqualError(err, 'rpc error: code = InvalidArgument desc = pageToken is not valid: "Hello World"');
          let segments;
          [segments, err] = await attempt(F.ListSegments({ namespaceKey: namespace.key }));
          t.require.NoError(err);
          t.require.Len(segments.segments, 53);

          await t.run('Paginated (page size 10)', async (t) => {
            const found = [];
            let nextPage = '';
            for (let page = 0; page < 100; page++) {
              const [segments, err] = await attempt(F.ListSegments({ namespaceKey: namespace.key, limit: 10, pageToken: nextPage }));
              t.require.NoError(err);
              // ensure each page is of length 10
              found.push(...list(segments.segments));
              if (str(segments.nextPageToken) === '') {
                t.assert.Len(segments.segments, 3);
                break;
              }
              t.assert.Len(segments.segments, 10);
              nextPage = segments.nextPageToken;
            }
            t.require.Len(found, 53);
          });
        });

        await t.run('GetRule', async (t) => {
          let [, err] = await attempt(F.GetRule({ namespaceKey: namespace.key, id: 'notfound' }));
          t.require.Error(err, 'not found');
          let rules;
          [rules, err] = await attempt(F.ListRules({ namespaceKey: namespace.key, flagKey: 'flag_001', limit: 1 }));
          t.require.NoError(err);
          let rule;
          [rule, err] = await attempt(F.GetRule({ namespaceKey: namespace.key, flagKey: 'flag_001', id: list(rules.rules)[0]?.id }));
          t.require.NoError(err);
          t.assert.Equal(namespace.expected, str(rule.namespaceKey));
          t.assert.Equal('flag_001', str(rule.flagKey));
          t.assert.Equal('segment_001', str(rule.segmentKey));
          t.assert.NotEmpty(rule.id);
          t.assert.Equal(1, num(rule.rank));
          t.require.Len(rule.distributions, 2);
          t.assert.NotEmpty(rule.distributions[0].id);
          t.assert.InDelta(50.0, rule.distributions[0].rollout, 0);
          t.assert.NotEmpty(rule.distributions[1].id);
          t.assert.InDelta(50.0, rule.distributions[1].rollout, 0);
        });

        await t.run('ListRules', async (t) => {
          let [, err] = await attempt(F.ListRules({ namespaceKey: namespace.key, flagKey: 'flag_001', limit: 10, pageToken: 'Hello World' }));
          t.require.EqualError(err, 'rpc error: code = InvalidArgument desc = pageToken is not valid: "Hello World"');
          let rules;
          [rules, err] = await attempt(F.ListRules({ namespaceKey: namespace.key, flagKey: 'flag_001' }));
          t.require.NoError(err);
          t.require.Len(rules.rules, 50, 'unexpected number of rules returned');
          const rule = rules.rules[0];
          t.assert.Equal(namespace.expected, str(rule.namespaceKey));
          t.assert.Equal('flag_001', str(rule.flagKey));
          t.assert.Equal('segment_001', str(rule.segmentKey));
          t.assert.NotEmpty(rule.id);
          t.assert.Equal(1, num(rule.rank));
          t.require.Len(rule.distributions, 2);
          t.assert.NotEmpty(rule.distributions[0].id);
          t.assert.InDelta(50.0, rule.distributions[0].rollout, 0);
          t.assert.NotEmpty(rule.distributions[1].id);
          t.assert.InDelta(50.0, rule.distributions[1].rollout, 0);

          await t.run('Paginated (page size 10)', async (t) => {
            const found = [];
            let nextPage = '';
            for (let page = 0; page < 100; page++) {
              const [page_, err] = await attempt(F.ListRules({ namespaceKey: namespace.key, flagKey: 'flag_001', limit: 10, pageToken: nextPage }));
              t.require.NoError(err);
              // ensure each page is of length 10
              t.assert.Len(page_.rules, 10);
              found.push(...list(page_.rules));
              if (str(page_.nextPageToken) === '') break;
              nextPage = page_.nextPageToken;
            }
            t.require.Len(found, 50);
            t.assert.ProtoEqual(rules.rules, found);
          });
        });

        await t.run('ListRollouts', async (t) => {
          let [, err] = await attempt(F.ListRollouts({ namespaceKey: namespace.key, flagKey: 'flag_boolean', pageToken: 'Hello World' }));
          t.require.EqualError(err, 'rpc error: code = InvalidArgument desc = pageToken is not valid: "Hello World"');
          let rules;
          [rules, err] = await attempt(F.ListRollouts({ namespaceKey: namespace.key, flagKey: 'flag_boolean' }));
          t.require.NoError(err);
          t.require.Len(rules.rules, 5, 'unexpected number of rules returned');
          const rule = rules.rules[0];
          t.assert.Equal(namespace.expected, str(rule.namespaceKey));
          t.assert.Equal('flag_boolean', str(rule.flagKey));
          t.assert.Equal('segment_001', str(rule.segment?.segmentKey));
          t.assert.True(bool(rule.segment?.value));
          t.assert.NotEmpty(rule.id);
          t.assert.Equal(1, num(rule.rank));

          await t.run('Paginated (page size 2)', async (t) => {
            const found = [];
            let nextPage = '';
            for (let page = 0; page < 100; page++) {
              const [page_, err] = await attempt(F.ListRollouts({ namespaceKey: namespace.key, flagKey: 'flag_boolean', limit: 2, pageToken: nextPage }));
              t.require.NoError(err);
              if (str(page_.nextPageToken) === '') {
                // ensure each page is of length 1
                t.assert.Len(page_.rules, 1);
                found.push(...list(page_.rules));
                break;
              }
              // ensure each page is of length 2
              t.assert.Len(page_.rules, 2);
              found.push(...list(page_.rules));
              nextPage = page_.nextPageToken;
            }
            t.require.Len(found, 5);
            t.assert.ProtoEqual(rules.rules, found);
          });
        });

        await t.run('Legacy', async (t) => {
          await t.run('Evaluate', async (t) => {
            const [response, err] = await attempt(F.Evaluate({ namespaceKey: namespace.key, flagKey: 'flag_001', entityId: 'some-fixed-entity-id', context: { in_segment: 'segment_005' } }));
            t.require.NoError(err);
            t.assert.True(bool(response.match));
            t.assert.Equal('variant_002', str(response.value));
            t.assert.Equal('MATCH_EVALUATION_REASON', str(response.reason));
          });

          await t.run('BatchEvaluate', async (t) => {
            const [response, err] = await attempt(F.BatchEvaluate({
              namespaceKey: namespace.key,
              requests: [
                { flagKey: 'flag_001', entityId: 'some-fixed-entity-id', context: { in_segment: 'segment_005' } },
                { flagKey: 'flag_002', entityId: 'some-fixed-entity-id', context: { in_segment: 'segment_006' } },
              ],
            }));
            t.require.NoError(err);
            t.require.Len(response.responses, 2);
            t.assert.True(bool(response.responses[0].match));
            t.assert.Equal('variant_002', str(response.responses[0].value));
            t.assert.Equal('MATCH_EVALUATION_REASON', str(response.responses[0].reason));
            t.assert.True(bool(response.responses[1].match));
            t.assert.Equal('variant_001', str(response.responses[1].value));
            t.assert.Equal('MATCH_EVALUATION_REASON', str(response.responses[1].reason));
          });
        });

        await t.run('Evaluation', async (t) => {
          await t.run('Variant', async (t) => {
            await t.run('match', async (t) => {
              const [response, err] = await attempt(E.Variant({ namespaceKey: namespace.key, flagKey: 'flag_001', entityId: 'some-fixed-entity-id', context: { in_segment: 'segment_005' } }));
              t.require.NoError(err);
              t.assert.True(bool(response.match));
              t.assert.Equal('flag_001', str(response.flagKey));
              t.assert.Equal('variant_002', str(response.variantKey));
              t.assert.Equal('MATCH_EVALUATION_REASON', str(response.reason));
              t.assert.Contains(list(response.segmentKeys), 'segment_005');
            });

            await t.run('match segment ANDing', async (t) => {
              const [response, err] = await attempt(E.Variant({ namespaceKey: namespace.key, flagKey: 'flag_variant_and_segments', entityId: 'some-fixed-entity-id', context: { in_segment: 'segment_001', anding: 'segment' } }));
              t.require.NoError(err);
              t.assert.True(bool(response.match));
              t.assert.Equal('variant_002', str(response.variantKey));
              t.assert.Equal('flag_variant_and_segments', str(response.flagKey));
              t.assert.Equal('MATCH_EVALUATION_REASON', str(response.reason));
              t.assert.Contains(list(response.segmentKeys), 'segment_001');
              t.assert.Contains(list(response.segmentKeys), 'segment_anding');
            });

            await t.run('no match', async (t) => {
              const [response, err] = await attempt(E.Variant({ namespaceKey: namespace.key, flagKey: 'flag_001', entityId: 'some-fixed-entity-id', context: { in_segment: 'unknown' } }));
              t.require.NoError(err);
              t.assert.False(bool(response.match));
              t.assert.Empty(str(response.variantKey));
              t.assert.Equal('UNKNOWN_EVALUATION_REASON', str(response.reason) || 'UNKNOWN_EVALUATION_REASON');
            });

            await t.run('entity id matching', async (t) => {
              const [response, err] = await attempt(E.Variant({ namespaceKey: namespace.key, flagKey: 'flag_using_entity_id', entityId: 'user@flipt.io', context: {} }));
              t.require.NoError(err);
              t.assert.True(bool(response.match));
              t.assert.Equal('variant_001', str(response.variantKey));
              t.assert.Equal('flag_using_entity_id', str(response.flagKey));
              t.assert.Equal('MATCH_EVALUATION_REASON', str(response.reason));
              t.assert.Contains(list(response.segmentKeys), 'segment_entity_id');
            });

            await t.run('flag disabled', async (t) => {
              const [result, err] = await attempt(E.Variant({ namespaceKey: namespace.key, flagKey: 'flag_disabled', entityId: 'some-fixed-entity-id', context: {} }));
              t.require.NoError(err);
              t.assert.False(bool(result.match), 'Evaluation should not have matched.');
              t.assert.Equal('FLAG_DISABLED_EVALUATION_REASON', str(result.reason));
              t.assert.Empty(str(result.variantKey));
            });

            await t.run('flag not found', async (t) => {
              const [result, err] = await attempt(E.Variant({ namespaceKey: namespace.key, flagKey: 'unknown_flag', entityId: 'some-fixed-entity-id', context: {} }));
              const msg = `rpc error: code = NotFound desc = flag "${namespace.expected}/unknown_flag" not found`;
              t.require.EqualError(err, msg);
              t.require.Nil(result);
            });

            await t.run('match no distributions', async (t) => {
              const [response, err] = await attempt(E.Variant({ namespaceKey: namespace.key, flagKey: 'flag_no_distributions', entityId: 'some-fixed-entity-id', context: { in_segment: 'segment_001' } }));
              t.require.NoError(err);
              t.assert.True(bool(response.match));
              t.assert.Equal('flag_no_distributions', str(response.flagKey));
              t.assert.Equal('MATCH_EVALUATION_REASON', str(response.reason));
              t.assert.Contains(list(response.segmentKeys), 'segment_001');
            });
          });

          await t.run('Boolean', async (t) => {
            const boolean = async (t, request, flagKey, reason, enabled, message) => {
              const [result, err] = await attempt(E.Boolean({ namespaceKey: namespace.key, flagKey, ...request }));
              t.require.NoError(err);
              t.assert.Equal(reason, str(result.reason));
              t.assert.Equal(flagKey, str(result.flagKey));
              if (enabled) t.assert.True(bool(result.enabled), message);
              else t.assert.False(bool(result.enabled), message);
            };
            await t.run('default flag value', (t) => boolean(t, { entityId: 'hello', context: {} }, 'flag_boolean', 'DEFAULT_EVALUATION_REASON', false, 'default flag value should be false'));
            await t.run('percentage match', (t) => boolean(t, { entityId: 'fixed', context: {} }, 'flag_boolean', 'MATCH_EVALUATION_REASON', true, 'boolean evaluation value should be true'));
            await t.run('segment match', (t) => boolean(t, { entityId: 'fixed', context: { in_segment: 'segment_001' } }, 'flag_boolean', 'MATCH_EVALUATION_REASON', true, 'segment evaluation value should be true'));
            await t.run('segment with no constraints', (t) => boolean(t, {}, 'flag_boolean_no_constraints', 'MATCH_EVALUATION_REASON', true, 'segment evaluation value should be true'));
            await t.run('segment with ANDing', (t) => boolean(t, { context: { in_segment: 'segment_001', anding: 'segment' } }, 'flag_boolean_and_segments', 'MATCH_EVALUATION_REASON', true, 'segment evaluation value should be true'));
          });

          await t.run('Batch', async (t) => {
            await t.run('batch evaluations (with not found errors)', async (t) => {
              const [result, err] = await attempt(E.Batch({
                requests: [
                  { namespaceKey: namespace.key, flagKey: 'flag_boolean', entityId: 'fixed', context: {} },
                  { namespaceKey: namespace.key, flagKey: 'foobarnotfound' },
                  { namespaceKey: namespace.key, flagKey: 'flag_001', entityId: 'some-fixed-entity-id', context: { in_segment: 'segment_005' } },
                ],
              }));
              t.require.NoError(err);
              const responses = list(result.responses);
              t.assert.Len(responses, 3);

              const b = responses[0]?.booleanResponse;
              t.assert.True(b !== undefined, 'response should be boolean evaluation response');
              t.assert.True(bool(b?.enabled), 'boolean response should have true value');
              t.assert.Equal('flag_boolean', str(b?.flagKey));
              t.assert.Equal('MATCH_EVALUATION_REASON', str(b?.reason));
              t.assert.Equal('BOOLEAN_EVALUATION_RESPONSE_TYPE', str(responses[0]?.type));

              const e = responses[1]?.errorResponse;
              t.assert.True(e !== undefined, 'response should be error evaluation response');
              t.assert.Equal('foobarnotfound', str(e?.flagKey));
              t.assert.Equal('NOT_FOUND_ERROR_EVALUATION_REASON', str(e?.reason));
              t.assert.Equal('ERROR_EVALUATION_RESPONSE_TYPE', str(responses[1]?.type));

              const v = responses[2]?.variantResponse;
              t.assert.True(v !== undefined, 'response should be boolean evaluation response');
              t.assert.True(bool(v?.match), 'variant response match should have true value');
              t.assert.Equal('MATCH_EVALUATION_REASON', str(v?.reason));
              t.assert.Equal('variant_002', str(v?.variantKey));
              t.assert.Equal('flag_001', str(v?.flagKey));
              t.assert.Contains(list(v?.segmentKeys), 'segment_005');
              t.assert.Equal('VARIANT_EVALUATION_RESPONSE_TYPE', str(responses[2]?.type));
            });
          });
        });

        await t.run('Custom Reference', async (t) => {
          if (!references) t.skip('backend does not support references');
        });
      });
    }

    await t.run('Auth', async (t) => {
      await t.run('Self', async (t) => {
        const [, err] = await attempt(sdk.auth().GetAuthenticationSelf());
        t.assert.NoError(err);
      });
      await t.run('Public', async (t) => {
        const [, err] = await attempt(sdk.auth().ListAuthenticationMethods());
        t.require.NoError(err);
      });
    });
  });
}
