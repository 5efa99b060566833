/* 示例市人民政府 全站公共底部 */
document.write('<div class="foot-links"><a href="/sitemap.html">网站地图</a> | <a href="/zjsl/jgzn/index.html">联系我们</a></div>');
document.write('<p>主办单位：示例市人民政府办公室　　承办单位：示例市大数据中心</p>');
document.write('<p>地址：示例市市中区政务大道1号　　邮编：250001　　联系电话：0531-12345678</p>');
document.write('<p>网站标识码：3799000001　　<a href="https://beian.miit.gov.cn/" target="_blank">鲁ICP备12345678号-1</a>　　<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=3701020200001" target="_blank"><img src="/images/ga.png" alt="" style="vertical-align:middle"> 鲁公网安备 3701020200001号</a></p>');
document.write('<p>版权所有：示例市人民政府　　建议使用1366×768分辨率浏览本网站</p>');
