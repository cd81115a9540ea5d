"""Writes the audit-log fixtures (testdata/rules/<ID>/*.log for each AUD rule, testdata/audit/traps/
for the bad-input cases): python3 testdata/audit/make_fixtures.py.
Each expected finding is marked on its line by an `expect` field the parser ignores."""
import json, os
from datetime import datetime, timedelta, timezone
ROOT=os.path.dirname(os.path.abspath(__file__))
T0=datetime(2024,3,1,12,0,0,tzinfo=timezone.utc)
def ts(sec): return (T0+timedelta(seconds=sec)).strftime('%Y-%m-%dT%H:%M:%S.%f')+'123Z'
n=[0]
def entry(sec, acc, op, path, addr='10.0.0.1', kind='response', error=None, auth_extra=None, mount=None, resp=None, expect=None, dn=None, policies=None, meta=None):
    n[0]+=1
    auth={}
    if acc is not None: auth['accessor']=acc
    if dn: auth['display_name']=dn
    if policies: auth['policies']=policies
    if meta: auth['metadata']=meta
    if auth_extra: auth.update(auth_extra)
    req={'id':f'r{n[0]}','operation':op,'path':path,'remote_address':addr}
    if mount: req['mount_type']=mount[1]; req['mount_point']=mount[0]
    e={'time':ts(sec),'type':kind,'auth':auth,'request':req}
    if resp is not None: e['response']=resp
    if error is not None: e['error']=error
    if expect: e['expect']=expect
    return json.dumps(e)
def write(rel, lines, cfg=None):
    # Rule fixtures sit with every other rule's, in testdata/rules/<ID>/.
    if rel.startswith('AUD'): rel=os.path.join('..','rules',rel)
    p=os.path.join(ROOT,rel); os.makedirs(os.path.dirname(p),exist_ok=True)
    open(p,'w').write('\n'.join(lines)+'\n')
    if cfg: open(os.path.join(os.path.dirname(p),'sealant-test.yaml'),'w').write(cfg)
KV=('secret/','kv')
A='hmac-sha256:aaaa'; B='hmac-sha256:bbbb'; C='hmac-sha256:cccc'
# AUD001 pos: 50 reads in exactly [0,300], the 50th at +300s (inclusive end); then a second burst after the first window ends.
L=[]
for i in range(50):
    sec = 300 if i==49 else i*5
    # i==49 sits exactly at the flagged window's end: counted in it, and (not < start+window) it starts the next one.
    L.append(entry(sec,A,'read' if i%5 else 'list',f'secret/data/app/k{i}',mount=KV,dn='kubernetes-shop-web',expect=['AUD001'] if i in (0,49) else None))
for i in range(55):
    L.append(entry(400+i*2,A,'read',f'secret/data/other/k{i}',addr='10.0.0.9',mount=KV,dn='kubernetes-shop-web'))
write('AUD001/pos.log',L)
# AUD001 neg: 49 reads; 50 reads with 3 failures; 50 reads spread over 301 s; noise.
L=[]
for i in range(49): L.append(entry(i,A,'read',f'secret/data/a/{i}',mount=KV))
for i in range(50):
    err = ['permission denied',None,None][i%3] if i<9 and i%3==0 else None
    L.append(entry(1000+i,B,'read',f'secret/data/b/{i}',error=err,mount=KV) if i!=4 else entry(1000+i,B,'read','secret/data/b/x',resp={'data':{'error':'hmac-sha256:ee'}},mount=KV))
for i in range(50): L.append(entry(2000+(301 if i==49 else i),C,'read',f'secret/data/c/{i}',mount=KV))
for i in range(60): L.append(entry(3000+i,C,'read',f'sys/internal/ui/mounts/secret/c/{i}',mount=('sys/','system')))
for i in range(60): L.append(entry(3100+i,C,'read','auth/token/lookup-self',mount=('auth/token/','token')))
for i in range(60): L.append(entry(3200+i,C,'read',f'cubbyhole/{i}'))
for i in range(60): L.append(entry(3300+i,C,'update',f'secret/data/c/{i}',mount=KV))
for i in range(30): L.append(entry(3400+i,C,'read',f'secret/data/c/{i}',kind='request',mount=KV))
write('AUD001/neg.log',L)
# AUD001 allow-listed ESO and a per-identity threshold
L=[]
eso={'service_account_name':'external-secrets','service_account_namespace':'external-secrets','role':'eso'}
for i in range(120): L.append(entry(i,'hmac-sha256:e50',"read",f'secret/data/all/{i}',meta=eso,dn='kubernetes-external-secrets-external-secrets',mount=KV))
for i in range(80): L.append(entry(1000+i,'hmac-sha256:c1',"read",f'secret/data/ci/{i}',dn='kubernetes-ci-runner',policies=['default','deploy'],mount=KV))
for i in range(60): L.append(entry(2000+i,'hmac-sha256:c2',"read",f'secret/data/ci/{i}',dn='kubernetes-ci-runner',policies=['default','deploy'],mount=KV))
write('AUD001/allowlist/neg.log',L,'audit:\n  identities:\n    - match: { service_account: "external-secrets/*" }\n      allow: [AUD001]\n    - match: { display_name: "kubernetes-ci-*", policy: deploy }\n      thresholds: { AUD001: 100 }\n')
# AUD002 pos
H=3600
L=[]
for d in range(0,48,6): L.append(entry(-d*H-2*H,A,'read','secret/data/a/x',addr='10.0.0.1',mount=KV,dn='app-a'))
L.sort(key=lambda l: json.loads(l)['time'])
L.append(entry(-30*60,A,'read','secret/data/a/x',addr='203.0.113.9',mount=KV,dn='app-a',expect=['AUD002']))
L.append(entry(-20*60,A,'read','secret/data/a/x',addr='10.0.0.1',mount=KV,dn='app-a'))
# a new token: login from 10.0.0.2, then used from 10.0.0.3
L.append(entry(-50*60,None,'update','auth/kubernetes/login',addr='10.0.0.2',resp={'auth':{'accessor':B,'policies':['default','app-b'],'display_name':'kubernetes-ns-b'}}))
L.append(entry(-40*60,B,'read','secret/data/b/x',addr='10.0.0.2',mount=KV))
L.append(entry(-10*60,B,'read','secret/data/b/x',addr='10.0.0.3',mount=KV,expect=['AUD002']))
L.append(entry(0,C,'read','secret/data/c',addr='10.0.0.7',mount=KV))
write('AUD002/pos.log',L)
# AUD002 neg: stable address; a new token without baseline nor login; an address in both ranges.
L=[]
for d in range(0,48,6): L.append(entry(-d*H-2*H,A,'read','secret/data/a/x',addr='10.0.0.1',mount=KV))
L.sort(key=lambda l: json.loads(l)['time'])
L.append(entry(-5*H,C,'read','secret/data/c',addr='10.0.0.5',mount=KV))
L.append(entry(-30*60,A,'read','secret/data/a/x',addr='10.0.0.1',mount=KV))
L.append(entry(-20*60,B,'read','secret/data/b',addr='10.0.0.8',mount=KV))
L.append(entry(-10*60,B,'read','secret/data/b',addr='10.0.0.9',mount=KV))
L.append(entry(-5*60,C,'read','secret/data/c',addr='10.0.0.5',mount=KV))
L.append(entry(0,A,'read','secret/data/a/x',addr='10.0.0.1',mount=KV))
write('AUD002/neg.log',L)
# AUD003 pos
L=[]
L.append(entry(0,'hmac-sha256:r00t','update','sys/policies/acl/app',dn='root',policies=['root'],mount=('sys/','system'),expect=['AUD003','AUD006:medium']))
L.append(entry(5,'hmac-sha256:r00t','read','secret/data/x',dn='root',policies=['root'],mount=KV))
L.append(entry(10,A,'update','auth/token/create',policies=['admin'],dn='ops',resp={'auth':{'accessor':'hmac-sha256:newroot','policies':['root']}},expect=['AUD003']))
L.append(entry(20,'hmac-sha256:gen','read','secret/data/y',auth_extra={'token_policies':['root']},mount=KV,expect=['AUD003']))
write('AUD003/pos.log',L)
L=[]
L.append(entry(0,'hmac-sha256:r00t','read','secret/data/x',dn='root',policies=['root'],mount=KV))
L.append(entry(60,A,'read','secret/data/root',policies=['default','rooted'],dn='root-ca-reader',mount=KV))
L.append(entry(120,A,'update','auth/token/create',policies=['admin'],resp={'auth':{'accessor':'hmac-sha256:child','policies':['default']}}))
write('AUD003/breakglass/neg.log',L,'audit:\n  break_glass:\n    - { from: "2024-03-01T11:59:00Z", to: "2024-03-01T12:00:30Z", reason: "INC-1" }\n')
# AUD004 pos
L=[]
L.append(entry(0,A,'list','secret/metadata/',mount=KV,expect=['AUD004']))
L.append(entry(1,A,'list','secret/metadata/',mount=KV))
for i in range(20): L.append(entry(100+i*10,B,'list',f'secret/metadata/team{i}/',mount=KV,expect=['AUD004'] if i==0 else None))
L.append(entry(500,C,'list','kv1/',mount=('kv1/','kv'),expect=['AUD004']))
write('AUD004/pos.log',L)
L=[]
for i in range(19): L.append(entry(i*10,B,'list',f'secret/metadata/team{i}/',mount=KV))
for i in range(25): L.append(entry(1000+i,C,'list',f'secret/metadata/t{i}/',error='unsupported path',mount=KV))
for i in range(25): L.append(entry(2000+i,C,'list',f'sys/policies/acl/',mount=('sys/','system')))
for i in range(25): L.append(entry(3000+i,C,'list',f'secret/metadata/t{i}/',kind='request',mount=KV))
write('AUD004/neg.log',L)
# AUD005 pos
L=[]
for i in range(20): L.append(entry(i*10,A,'read',f'secret/data/prod/{i}',error='1 error occurred:\n\t* permission denied\n\n',mount=KV,expect=['AUD005'] if i==0 else None))
for i in range(20): L.append(entry(1000+i,None,'update','auth/userpass/login/alice',addr='198.51.100.7',error='invalid username or password',expect=['AUD005'] if i==0 else None))
write('AUD005/pos.log',L)
L=[]
for i in range(19): L.append(entry(i*10,A,'read',f'secret/data/prod/{i}',error='permission denied',mount=KV))
for i in range(25): L.append(entry(1000+i,B,'read',f'secret/data/prod/{i}',error='internal error',mount=KV))
for i in range(20): L.append(entry(2000+i*16,C,'read',f'secret/data/prod/{i}',error='permission denied',mount=KV))
for i in range(20): L.append(entry(3000+i,None,'update','auth/userpass/login/bob',addr=f'198.51.100.{i}',error='invalid username or password'))
write('AUD005/neg.log',L)
# AUD006 pos
L=[]
L.append(entry(0,A,'delete','sys/audit/file',dn='kubernetes-ci',policies=['ci'],mount=('sys/','system'),expect=['AUD006:high']))
L.append(entry(10,A,'update','sys/policies/acl/app',dn='kubernetes-ci',policies=['ci'],mount=('sys/','system'),expect=['AUD006:high']))
L.append(entry(11,A,'update','sys/policies/acl/app',dn='kubernetes-ci',policies=['ci'],mount=('sys/','system')))
L.append(entry(20,B,'create','sys/mounts/new-kv',dn='ops',policies=['vault-admin'],mount=('sys/','system'),expect=['AUD006:medium']))
L.append(entry(30,B,'update','auth/kubernetes/role/app',dn='ops',policies=['vault-admin'],expect=['AUD006:medium']))
L.append(entry(40,C,'update','auth/kubernetes/config',dn='x',policies=['default'],expect=['AUD006:high']))
L.append(entry(50,B,'update','sys/leases/revoke-prefix/aws/creds',dn='ops',policies=['vault-admin'],mount=('sys/','system'),expect=['AUD006:medium']))
write('AUD006/pos.log',L,'audit:\n  admins:\n    - { policy: vault-admin }\n')
L=[]
L.append(entry(0,A,'delete','sys/audit/file',error='permission denied',mount=('sys/','system')))
L.append(entry(10,A,'read','sys/policies/acl/app',mount=('sys/','system')))
L.append(entry(20,A,'list','sys/policies/acl',mount=('sys/','system')))
L.append(entry(30,A,'update','sys/audit/file',kind='request',mount=('sys/','system')))
L.append(entry(40,A,'update','auth/kubernetes/login'))
L.append(entry(50,A,'update','secret/data/sys/audit/x',mount=KV))
write('AUD006/neg.log',L)
# Traps: malformed lines and bad times are reported, detections still run.
L=[]
for i in range(50): L.append(entry(i,A,'read',f'secret/data/t/{i}',mount=KV,expect=['AUD001'] if i==0 else None))
L.insert(10,'{"time": "2024-03-01T12:00:10Z", "type": "resp')
L.insert(20,'not json at all')
L.insert(30,'[]')
L.insert(40,json.dumps({'time':'yesterday','type':'response','auth':{'accessor':A},'request':{'operation':'read','path':'secret/data/t/x'}}))
write('traps/malformed.log',L)
# AUD003 neg: near misses without a break-glass window: names and policies that only contain
# "root", and a token created with non-root policies.
L=[]
L.append(entry(0,A,'read','secret/data/root',policies=['default','rooted'],dn='root-ca-reader',mount=KV))
L.append(entry(30,B,'read','secret/data/app',policies=['default'],dn='rootless',auth_extra={'token_policies':['default','root-certs']},mount=KV))
L.append(entry(60,A,'update','auth/token/create',policies=['admin'],resp={'auth':{'accessor':'hmac-sha256:child','policies':['default','roots']}}))
write('AUD003/neg.log',L)
