import type { AccessKey, FakeResponse, FakeService } from './server';

/**
 * AWS STS in its awsQuery protocol: form-encoded Action, XML answers. AssumeRole issues
 * temporary keys that the fake then knows as the role's account.
 */
const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function fakeSts(keys: Map<string, AccessKey>, deniedRoles: readonly string[] = []): FakeService {
  const xml = (action: string, result: string): FakeResponse => ({
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>fake-1</RequestId></ResponseMetadata></${action}Response>`,
  });
  const error = (status: number, code: string, message: string): FakeResponse => ({
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake-2</RequestId></ErrorResponse>`,
  });
  return {
    operation: (req) => new URLSearchParams(req.body).get('Action') ?? '',
    error,
    throttling: { status: 400, code: 'Throttling' },
    handle: (req, operation) => {
      const form = new URLSearchParams(req.body);
      if (operation === 'GetCallerIdentity') {
        return xml(operation, `<Arn>arn:aws:iam::${req.accountId}:user/auditor</Arn><UserId>AIDAFAKE</UserId><Account>${req.accountId}</Account>`);
      }
      if (operation === 'AssumeRole') {
        const roleArn = form.get('RoleArn') ?? '';
        if (deniedRoles.includes(roleArn)) return error(403, 'AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
        const accountId = roleArn.split(':')[4];
        const accessKeyId = `ASIA${accountId}`;
        keys.set(accessKeyId, { accountId, secretAccessKey: `secret-${accountId}`, sessionToken: `token-${accountId}` });
        return xml(
          operation,
          `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>secret-${accountId}</SecretAccessKey><SessionToken>token-${accountId}</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>` +
            `<AssumedRoleUser><Arn>${roleArn.replace(':role/', ':assumed-role/')}/${form.get('RoleSessionName')}</Arn><AssumedRoleId>AROAFAKE:${form.get('RoleSessionName')}</AssumedRoleId></AssumedRoleUser>`,
        );
      }
      return error(400, 'InvalidAction', `${operation} is not served by the fake`);
    },
  };
}
