import type { DevIssuer } from './dev-issuer.js';

/**
 * Prints how to call the API with a token from the dev issuer: a ready `curl` for `/me` and
 * one for the token endpoint. The only secrets shown are this run's dev-only client secret
 * and a short-lived token for this API.
 */
export async function printDevInstructions(devIssuer: DevIssuer, apiUrl: string): Promise<void> {
  const tokenCurl =
    `curl -s -u ${devIssuer.clientId}:${devIssuer.clientSecret} -d grant_type=client_credentials ` +
    `-d resource=${devIssuer.audience} ${devIssuer.tokenEndpoint}`;
  console.log(`AUTH_ISSUER is unset: started a dev issuer (oidc-provider) at ${devIssuer.issuer}, audience ${devIssuer.audience}.`);
  try {
    const token = await devIssuer.getToken();
    console.log('Call the protected route with this access token (valid 10 minutes):');
    console.log(`  curl -H "Authorization: Bearer ${token}" ${apiUrl}/me`);
  } catch (error) {
    console.error(`Could not get a token from the dev issuer: ${error instanceof Error ? error.message : String(error)}`);
  }
  console.log('Get another token (the JSON answer holds it in "access_token"):');
  console.log(`  ${tokenCurl}`);
}
